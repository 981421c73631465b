/**
 * The renderer's only door to the main process (lint forbids window.sfdb anywhere else). Every call
 * resolves with a Result: a missing bridge or a failed IPC round trip becomes an Internal error instead of
 * an exception, so stores handle one shape.
 */
import type { AppInfo, IpcChannel, IpcRequest, IpcResponses, SfdbApi } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { err } from '../../../shared/result.ts'
import type { Result } from '../../../shared/result.ts'

declare global {
  interface Window {
    /** Installed by the preload (electron/preload/index.ts); absent when the page runs outside the app. */
    readonly sfdb?: SfdbApi
  }
}

async function invoke<C extends IpcChannel>(
  channel: C,
  request: IpcRequest<C>,
): Promise<Result<IpcResponses[C]>> {
  const bridge = window.sfdb
  if (bridge === undefined) return err('Internal', 'The app bridge is missing: the preload did not run')
  try {
    return await bridge.invoke(channel, request)
  } catch (error) {
    return err('Internal', `The main process did not answer ${channel}`, String(error))
  }
}

/** Name, version and OS platform of the running app. */
export function fetchAppInfo(): Promise<Result<AppInfo>> {
  return invoke('app:info', {})
}

/** Subscribes to job events pushed by the main process; returns the function that unsubscribes. */
export function onJobEvent(listener: (event: JobEvent) => void): () => void {
  const bridge = window.sfdb
  if (bridge === undefined) return () => {}
  return bridge.onJobEvent(listener)
}
