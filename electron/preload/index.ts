/**
 * The preload of the main window (sandboxed, context-isolated): exposes window.sfdb and nothing else. Raw
 * ipcRenderer never reaches the page, and listeners never see the IpcRendererEvent (it would hand the page
 * a sender object).
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { createSfdbApi, SFDB_APP_EVENT_CHANNEL, SFDB_CHANNELS, SFDB_JOB_EVENT_CHANNEL } from './sfdb-api.ts'

/** Forwards one push channel's payloads, never the IpcRendererEvent. */
function subscribe(channel: string, listener: (payload: unknown) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
  ipcRenderer.on(channel, forward)
  return () => {
    ipcRenderer.removeListener(channel, forward)
  }
}

const api = createSfdbApi(SFDB_CHANNELS, {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribeJobEvents: (listener) => subscribe(SFDB_JOB_EVENT_CHANNEL, listener),
  subscribeAppEvents: (listener) => subscribe(SFDB_APP_EVENT_CHANNEL, listener),
})

contextBridge.exposeInMainWorld('sfdb', api)
