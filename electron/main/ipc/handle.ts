/**
 * The only user of ipcMain: every contract channel is registered here, through the dispatcher (sender
 * check → zod parse → handler → Result). Nothing else in the app calls ipcMain.handle or ipcMain.on.
 */
import { ipcMain } from 'electron'
import type { IpcMain } from 'electron'
import { IPC_CHANNELS } from '../../../shared/ipc.ts'
import { createIpcDispatch } from './dispatch.ts'
import type { DispatchOptions, IpcHandlers } from './dispatch.ts'

/** The part of ipcMain this module uses (a fake one in unit tests). */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>

/**
 * Registers one handler per contract channel on ipcMain (or the given stand-in) and returns the function
 * that removes them again.
 */
export function registerIpcHandlers(
  handlers: IpcHandlers,
  options: DispatchOptions,
  ipc: IpcMainLike = ipcMain,
): () => void {
  const dispatch = createIpcDispatch(handlers, options)
  for (const channel of IPC_CHANNELS) {
    // senderFrame is null when the frame navigated away or was destroyed: treated as untrusted.
    ipc.handle(channel, (event, payload: unknown) =>
      dispatch(event.senderFrame?.url ?? null, channel, payload),
    )
  }
  return () => {
    for (const channel of IPC_CHANNELS) ipc.removeHandler(channel)
  }
}
