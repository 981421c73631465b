/**
 * The window.sfdb object, shared by the preload and the e2e harness (which installs this very code in
 * Chromium). Kept free of runtime imports: the sandboxed preload can require nothing but electron, so the
 * zod contract in shared/ipc.ts is imported for its types only, and the channel lists below are checked
 * against it at compile time.
 */
import type {
  APP_EVENT_CHANNEL,
  AppEvent,
  IpcChannel,
  JOB_EVENT_CHANNEL,
  SfdbApi,
  SfdbTransport,
} from '../../shared/ipc.ts'
import type { JobEvent } from '../../shared/job-protocol.ts'

/** The contract's channels, the allow-list of window.sfdb.invoke. */
export const SFDB_CHANNELS = [
  'app:info',
  'app:paths',
  'app:shared-config',
  'app:detect-dump-binary',
  'app:pick-path',
  'profiles:list',
  'profiles:get',
  'profiles:create',
  'profiles:update',
  'profiles:delete',
  'profiles:clone',
  'profiles:import',
  'profiles:test',
  'keys:status',
  'keys:set',
  'keys:delete',
  'keys:unlock',
  'servers:databases',
  'servers:tables',
  'backups:plan',
  'backups:start',
  'backups:cancel',
  'backups:running',
  'backups:retry',
  'jobs:history',
  'jobs:log',
  'jobs:save-log',
  'history:list',
  'history:details',
  'history:verify',
  'history:verify-cancel',
  'history:verifying',
  'history:open-folder',
  'history:delete',
  'history:restore-tests',
  'restore:describe',
  'restore:target',
  'restore:plan',
  'restore:start',
  'restore:test',
  'restore:cancel',
  'restore:running',
  'settings:get',
  'settings:update',
  'settings:retention-preview',
  'schedules:preview',
  'schedules:status',
  'destinations:list',
  'destinations:save',
  'destinations:remove',
  'destinations:test',
  'destinations:prune-preview',
  'destinations:files',
  'notify:list',
  'notify:save',
  'notify:remove',
  'notify:test',
] as const satisfies readonly IpcChannel[]

/** The push channel of job events (same literal as JOB_EVENT_CHANNEL). */
export const SFDB_JOB_EVENT_CHANNEL: typeof JOB_EVENT_CHANNEL = 'jobs:event'

/** The push channel of navigation requests (same literal as APP_EVENT_CHANNEL). */
export const SFDB_APP_EVENT_CHANNEL: typeof APP_EVENT_CHANNEL = 'app:navigate'

/** Fails to compile when a contract channel is missing from SFDB_CHANNELS. */
type _ChannelListIsComplete = AssertNever<Exclude<IpcChannel, (typeof SFDB_CHANNELS)[number]>>
type AssertNever<T extends never> = T

/**
 * Builds window.sfdb over a transport, allowing only the given channels (pass SFDB_CHANNELS).
 *
 * Must stay self-contained (nothing from outside its body, not even err() from result.ts): the e2e harness
 * installs it in the page from its source text.
 */
export function createSfdbApi(channels: readonly string[], transport: SfdbTransport): SfdbApi {
  const allowed = new Set(channels)
  return {
    invoke: (channel, request) => {
      if (typeof channel !== 'string' || !allowed.has(channel)) {
        // A renderer bug rather than an attack surface (main registers only contract channels), so it is
        // answered like any other bad request instead of throwing.
        return Promise.resolve({
          ok: false,
          error: { code: 'InvalidInput', message: `Unknown IPC channel: ${String(channel)}` },
        })
      }
      return transport.invoke(channel, request) as Promise<never>
    },
    onJobEvent: (listener) => {
      if (typeof listener !== 'function') throw new TypeError('onJobEvent needs a listener function')
      return transport.subscribeJobEvents((event) => listener(event as JobEvent))
    },
    onAppEvent: (listener) => {
      if (typeof listener !== 'function') throw new TypeError('onAppEvent needs a listener function')
      return transport.subscribeAppEvents((event) => listener(event as AppEvent))
    },
  }
}
