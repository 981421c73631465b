/**
 * Vitest global setup of the integration and e2e projects (not the unit project): one private mariadbd for
 * the whole test run, given to their tests through `inject('mariadb')`.
 *
 * Vitest runs a project's global setup only when the project has tests to run, once per project, in the
 * main process. The server is kept on globalThis (each project loads this module anew) so both projects
 * share it; the last project to tear down stops it.
 */
import type { TestProject } from 'vitest/node'
import { startPrivateServer, stopPrivateServer, type PrivateServer } from './mariadb.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    mariadb: PrivateServer
  }
}

interface SharedServer {
  server: Promise<PrivateServer>
  users: number
}

const KEY = Symbol.for('sfdb.test.private-mariadbd')
const shared = globalThis as typeof globalThis & { [KEY]?: SharedServer }

export async function setup(project: TestProject): Promise<void> {
  const entry = (shared[KEY] ??= { server: startPrivateServer(), users: 0 })
  entry.users++
  project.provide('mariadb', await entry.server)
}

export async function teardown(): Promise<void> {
  const entry = shared[KEY]
  if (!entry || --entry.users > 0) return
  delete shared[KEY]
  const server = await entry.server.catch(() => undefined)
  if (server) await stopPrivateServer(server)
}
