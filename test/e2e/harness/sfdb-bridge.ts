/**
 * window.sfdb for the page under test, wired to the real main-process request path: the page runs the
 * preload's own createSfdbApi (installed from its source text), whose transport is a Playwright binding
 * into this process, where the real dispatcher (sender check → zod parse → handler → Result) answers.
 * Bindings and init scripts are injected by the browser, so they work under the page's strict CSP.
 */
import type { BrowserContext, Page } from 'playwright-core'
import type { IpcDispatch } from '../../../electron/main/ipc/dispatch.ts'
import { createSfdbApi, SFDB_CHANNELS } from '../../../electron/preload/sfdb-api.ts'
import type { AppEvent, SfdbTransport } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import type { Result } from '../../../shared/result.ts'

const INVOKE_BINDING = '__sfdbInvoke'
const EMIT_JOB_EVENT = '__sfdbEmitJobEvent'
const EMIT_APP_EVENT = '__sfdbEmitAppEvent'

/** One request the page made, with what the main-process side answered (undefined: it rejected). */
export interface IpcCall {
  channel: string
  request: unknown
  senderUrl: string
  result: Result<unknown> | undefined
}

/** The page-side globals the bridge uses (tsconfig.node.json has no DOM types, hence this shape). */
interface PageGlobals {
  __sfdbInvoke(channel: string, request: unknown): Promise<unknown>
  __sfdbEmitJobEvent(event: unknown): void
  __sfdbEmitAppEvent(event: unknown): void
}

/**
 * Runs in the page, before any of its scripts, from its source text: so it may use nothing but its
 * parameters. Mirrors the preload: builds the API over the transport and exposes it read-only (as
 * contextBridge does) under window.sfdb.
 */
function installBridge(create: typeof createSfdbApi, channels: readonly string[]): void {
  const page = globalThis as unknown as PageGlobals
  const listeners = new Set<(event: unknown) => void>()
  const appListeners = new Set<(event: unknown) => void>()
  Object.defineProperty(globalThis, '__sfdbEmitJobEvent', {
    value: (event: unknown) => {
      for (const listener of listeners) listener(event)
    },
  })
  Object.defineProperty(globalThis, '__sfdbEmitAppEvent', {
    value: (event: unknown) => {
      for (const listener of appListeners) listener(event)
    },
  })
  const transport: SfdbTransport = {
    invoke: (channel, request) => page.__sfdbInvoke(channel, request),
    subscribeJobEvents: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    subscribeAppEvents: (listener) => {
      appListeners.add(listener)
      return () => {
        appListeners.delete(listener)
      }
    },
  }
  Object.defineProperty(globalThis, 'sfdb', {
    value: Object.freeze(create(channels, transport)),
    enumerable: true,
  })
}

/**
 * Installs window.sfdb in every page of the context; every request goes to dispatch with the calling
 * frame's URL as the sender. Records the calls in the returned array.
 */
export async function installSfdbBridge(context: BrowserContext, dispatch: IpcDispatch): Promise<IpcCall[]> {
  const calls: IpcCall[] = []
  await context.exposeBinding(INVOKE_BINDING, async (source, channel: string, request: unknown) => {
    const call: IpcCall = { channel, request, senderUrl: source.frame.url(), result: undefined }
    calls.push(call)
    call.result = await dispatch(call.senderUrl, channel, request)
    return call.result
  })
  await context.addInitScript({
    content: `(${installBridge.toString()})(${createSfdbApi.toString()}, ${JSON.stringify(SFDB_CHANNELS)});`,
  })
  return calls
}

/** Pushes a navigation request to the page, as the main process does on 'app:navigate'. */
export async function emitAppEvent(page: Page, event: AppEvent): Promise<void> {
  await page.evaluate(
    ([name, payload]) => (globalThis as unknown as Record<string, (event: unknown) => void>)[name]?.(payload),
    [EMIT_APP_EVENT, event] as const,
  )
}

/** Pushes a job event to the page, as the main process does on 'jobs:event'. */
export async function emitJobEvent(page: Page, event: JobEvent): Promise<void> {
  await page.evaluate(
    ([name, payload]) => (globalThis as unknown as Record<string, (event: unknown) => void>)[name]?.(payload),
    [EMIT_JOB_EVENT, event] as const,
  )
}
