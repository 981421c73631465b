/**
 * The preload of the main window (sandboxed, context-isolated): exposes window.sfdb and nothing else. Raw
 * ipcRenderer never reaches the page, and listeners never see the IpcRendererEvent (it would hand the page
 * a sender object).
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { createSfdbApi, SFDB_CHANNELS, SFDB_JOB_EVENT_CHANNEL } from './sfdb-api.ts'

const api = createSfdbApi(SFDB_CHANNELS, {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribeJobEvents: (listener) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(SFDB_JOB_EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(SFDB_JOB_EVENT_CHANNEL, forward)
    }
  },
})

contextBridge.exposeInMainWorld('sfdb', api)
