/** Handlers of the servers domain: what a profile's server holds. */
import { listServerDatabases, listServerTables } from '../../services/server-databases.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function serverHandlers({ profiles }: Services): DomainHandlers<'servers'> {
  return {
    'servers:databases': ({ profile }) =>
      toResult(async () => listServerDatabases((await profiles.open(profile)).connection)),
    'servers:tables': ({ profile, database }) =>
      toResult(async () => listServerTables((await profiles.open(profile)).connection, database)),
  }
}
