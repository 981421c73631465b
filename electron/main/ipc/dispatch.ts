/**
 * The IPC request path, free of Electron so the e2e harness runs the very same code: sender check → zod
 * parse → handler → Result. electron/main/ipc/handle.ts plugs it into ipcMain.
 */
import { z } from 'zod'
import { ipcContract } from '../../../shared/ipc.ts'
import type { IpcChannel, IpcParsedRequest, IpcResponses } from '../../../shared/ipc.ts'
import { err } from '../../../shared/result.ts'
import type { Result } from '../../../shared/result.ts'

/** A handler gets the parsed request and answers with a Result (sync or async). */
export type IpcHandler<C extends IpcChannel> = (
  request: IpcParsedRequest<C>,
) => Result<IpcResponses[C]> | Promise<Result<IpcResponses[C]>>

/** One handler per contract channel: a missing one is a compile error. */
export type IpcHandlers = { [C in IpcChannel]: IpcHandler<C> }

/** Answers one request; rejects only for an untrusted sender. */
export type IpcDispatch = (
  senderUrl: string | null,
  channel: string,
  payload: unknown,
) => Promise<Result<unknown>>

/** Policy of the dispatcher. */
export interface DispatchOptions {
  /** True when a request from this frame URL comes from our own renderer. */
  isTrustedSender(url: string): boolean
  /** Where unexpected handler errors go (default: console.error). */
  logError?: (message: string, error: unknown) => void
}

/** Thrown (so the renderer's invoke rejects) when a request does not come from our renderer. */
export class UntrustedSenderError extends Error {
  override name = 'UntrustedSenderError'
}

const isContractChannel = (channel: string): channel is IpcChannel => Object.hasOwn(ipcContract, channel)

/**
 * Builds the request path over a handler map.
 *
 * Our renderer always gets a Result, never an exception: a bad payload is InvalidInput, a handler that
 * throws is Internal (its message goes to the log, not to the page). A foreign frame is the one exception:
 * it is not our UI, so it gets a rejection and no handler runs.
 */
export function createIpcDispatch(handlers: IpcHandlers, options: DispatchOptions): IpcDispatch {
  const logError = options.logError ?? ((message, error) => console.error(message, error))
  return async (senderUrl, channel, payload) => {
    if (senderUrl === null || !options.isTrustedSender(senderUrl)) {
      throw new UntrustedSenderError(
        `IPC on ${channel} from an untrusted sender: ${senderUrl ?? '(no frame)'}`,
      )
    }
    if (!isContractChannel(channel)) return err('InvalidInput', `Unknown IPC channel: ${channel}`)
    const parsed = ipcContract[channel].request.safeParse(payload)
    if (!parsed.success) {
      return err('InvalidInput', `Invalid request on ${channel}`, z.prettifyError(parsed.error))
    }
    try {
      // The map is typed per channel; TypeScript cannot correlate handlers[channel] with parsed.data.
      const handler = handlers[channel] as (request: unknown) => Promise<Result<unknown>> | Result<unknown>
      return await handler(parsed.data)
    } catch (error) {
      logError(`IPC handler for ${channel} failed`, error)
      return err('Internal', `Unexpected error while handling ${channel}`)
    }
  }
}
