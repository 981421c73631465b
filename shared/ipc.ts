/**
 * The one IPC contract between renderer and main: every channel maps to a zod request schema and a response
 * type. electron/main/ipc/handle.ts registers handlers only for these channels (sender check → parse →
 * call → Result); the preload builds window.sfdb for the same channels (electron/preload/sfdb-api.ts), and
 * the e2e harness builds the very same object in Chromium.
 *
 * The preload imports this module for types only: at runtime it would drag in zod, which a sandboxed
 * preload cannot require.
 */
import { z } from 'zod'
import type { JobEvent } from './job-protocol.ts'
import type { Result } from './result.ts'

/** What the renderer learns about the running app. */
export interface AppInfo {
  /** Product name, e.g. "sfDBTools Desktop". */
  name: string
  /** The app's semantic version (package.json "version"). */
  version: string
  /** Node's process.platform of the main process: 'win32', 'darwin', 'linux', … */
  platform: string
}

/** Request schemas per channel. Requests are objects so a channel can grow fields without a new shape. */
export const ipcContract = {
  'app:info': { request: z.object({}).strict() },
} as const satisfies Record<string, { request: z.ZodType }>

/** A request/response channel (renderer → main, answered with a Result). */
export type IpcChannel = keyof typeof ipcContract

/** The response type of each channel: the value inside the Result. */
export interface IpcResponses {
  'app:info': AppInfo
}

/** Fails to compile when a channel lacks a response type or a response type names no channel. */
type _ResponsesCoverChannels = AssertNever<
  Exclude<IpcChannel, keyof IpcResponses> | Exclude<keyof IpcResponses, IpcChannel>
>
type AssertNever<T extends never> = T

/** What the renderer sends on a channel. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>

/** What a handler receives after the main process parsed the request. */
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['request']>

/** Every request/response channel of the contract. */
export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[]

/** The one push channel (main → renderer): job progress, logs and outcomes for the stores. */
export const JOB_EVENT_CHANNEL = 'jobs:event'

/** The object exposed to the renderer as window.sfdb. Nothing else crosses the bridge. */
export interface SfdbApi {
  /** Calls a contract channel. Resolves with a Result; an unknown channel resolves with InvalidInput. */
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<Result<IpcResponses[C]>>
  /** Subscribes to job events pushed on 'jobs:event'; returns the function that unsubscribes. */
  onJobEvent(listener: (event: JobEvent) => void): () => void
}

/** How an SfdbApi reaches the main process: ipcRenderer in the preload, Playwright bindings in e2e tests. */
export interface SfdbTransport {
  invoke(channel: IpcChannel, request: unknown): Promise<unknown>
  subscribeJobEvents(listener: (event: unknown) => void): () => void
}
