/**
 * The one IPC contract between renderer and main: every channel maps to a zod request schema and a response
 * type. electron/main/ipc/handle.ts registers handlers only for these channels; the preload builds
 * window.sfdb from the same names.
 */
import { z } from 'zod'
import type { Result } from './result.ts'

export interface AppInfo {
  name: string
  version: string
  platform: string
}

export const ipcContract = {
  'app:info': { request: z.object({}).strict() },
} as const

export type IpcChannel = keyof typeof ipcContract

/** The response type of each channel (the value inside the Result). */
export interface IpcResponses {
  'app:info': AppInfo
}

export type IpcRequest<C extends IpcChannel> = z.infer<(typeof ipcContract)[C]['request']>

/** Method names on window.sfdb: 'app:info' → appInfo. */
export const methodName = (channel: IpcChannel): string =>
  channel.replace(/:(\w)/g, (_m, c: string) => c.toUpperCase())

/** The API the preload exposes as window.sfdb. */
export type SfdbApi = {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<Result<IpcResponses[C]>>
}

export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[]
