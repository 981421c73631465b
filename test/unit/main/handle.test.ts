import type { IpcMainInvokeEvent } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { registerIpcHandlers } from '../../../electron/main/ipc/handle.ts'
import type { IpcMainLike } from '../../../electron/main/ipc/handle.ts'
import { UntrustedSenderError } from '../../../electron/main/ipc/dispatch.ts'
import type { IpcHandlers } from '../../../electron/main/ipc/dispatch.ts'
import { createHandlers } from '../../../electron/main/ipc/handlers/create-handlers.ts'
import type { Platform } from '../../../electron/main/ipc/handlers/platform.ts'
import { IPC_CHANNELS } from '../../../shared/ipc.ts'
import { err } from '../../../shared/result.ts'

// handle.ts imports ipcMain; the real electron package cannot load under Node (no binary here).
vi.mock('electron', () => ({ ipcMain: {} }))

const TRUSTED = 'file:///opt/sfdbtools/resources/app.asar/out/renderer/index.html'

type Listener = (event: IpcMainInvokeEvent, payload: unknown) => unknown

/** A stand-in for ipcMain that lets a test call the registered listeners the way Electron would. */
function fakeIpcMain(): IpcMainLike & { listeners: Map<string, Listener>; invoke: typeof invoke } {
  const listeners = new Map<string, Listener>()
  function invoke(channel: string, payload: unknown, senderUrl: string | null = TRUSTED): Promise<unknown> {
    const listener = listeners.get(channel)
    if (listener === undefined) throw new Error(`no handler for ${channel}`)
    const event = {
      senderFrame: senderUrl === null ? null : { url: senderUrl },
    } as unknown as IpcMainInvokeEvent
    return Promise.resolve().then(() => listener(event, payload))
  }
  return {
    listeners,
    invoke,
    handle: (channel, listener) => void listeners.set(channel, listener),
    removeHandler: (channel) => void listeners.delete(channel),
  }
}

const unused = (what: string) => (): never => {
  throw new Error(`${what} is not used by these tests`)
}

/** Only app:info is called here: the rest of the platform refuses to be used. */
const platform: Platform = {
  appName: () => 'sfDBTools Desktop',
  appVersion: () => '1.2.3',
  osPlatform: () => 'linux',
  configDir: unused('configDir'),
  env: unused('env'),
  keychain: unused('keychain'),
  jobs: unused('jobs'),
  pickSavePath: unused('pickSavePath'),
  showInFolder: unused('showInFolder'),
  pickPath: unused('pickPath'),
}

/** A full handler map: the given handlers, every other channel answering an error it never should. */
function handlersWith(overrides: Partial<IpcHandlers>): IpcHandlers {
  const unreachable = () => err('Internal', 'no handler under test')
  const map = Object.fromEntries(
    IPC_CHANNELS.map((channel) => [channel, unreachable]),
  ) as unknown as IpcHandlers
  return { ...map, ...overrides }
}

function setup(handlers: IpcHandlers = createHandlers(platform)) {
  const ipc = fakeIpcMain()
  const logError = vi.fn()
  const unregister = registerIpcHandlers(
    handlers,
    { isTrustedSender: (url) => url === TRUSTED, logError },
    ipc,
  )
  return { ipc, logError, unregister }
}

describe('registerIpcHandlers', () => {
  it('registers exactly the contract channels and removes them again', () => {
    const { ipc, unregister } = setup()
    expect([...ipc.listeners.keys()]).toEqual(IPC_CHANNELS)
    unregister()
    expect(ipc.listeners.size).toBe(0)
  })

  it('returns ok(value) for a valid request from our renderer', async () => {
    const { ipc } = setup()
    await expect(ipc.invoke('app:info', {})).resolves.toEqual({
      ok: true,
      value: {
        name: 'sfDBTools Desktop',
        version: '1.2.3',
        platform: 'linux',
        versions: { node: process.versions.node, electron: null, chromium: null },
        // The dump binary and the SQL client, found or not on this machine's PATH.
        programs: [expect.objectContaining({ role: 'dump' }), expect.objectContaining({ role: 'client' })],
      },
    })
  })

  it('rejects an untrusted sender without calling the handler', async () => {
    const handler = vi.fn(() => err('Internal', 'unreachable'))
    const { ipc } = setup(handlersWith({ 'app:info': handler }))
    await expect(ipc.invoke('app:info', {}, 'https://evil.example/index.html')).rejects.toThrow(
      UntrustedSenderError,
    )
    await expect(ipc.invoke('app:info', {}, 'file:///tmp/other.html')).rejects.toThrow(UntrustedSenderError)
    // A destroyed or navigated-away frame has no senderFrame.
    await expect(ipc.invoke('app:info', {}, null)).rejects.toThrow(UntrustedSenderError)
    expect(handler).not.toHaveBeenCalled()
  })

  it('answers an invalid payload with InvalidInput without calling the handler', async () => {
    const handler = vi.fn(() => err('Internal', 'unreachable'))
    const { ipc } = setup(handlersWith({ 'app:info': handler }))
    for (const payload of [{ extra: true }, 'app', null, undefined, [1]]) {
      await expect(ipc.invoke('app:info', payload)).resolves.toMatchObject({
        ok: false,
        error: { code: 'InvalidInput', message: 'Invalid request on app:info' },
      })
    }
    expect(handler).not.toHaveBeenCalled()
  })

  it('turns a throwing or rejecting handler into an Internal error Result and logs it', async () => {
    const boom = new Error('secret=hunter2 exploded')
    for (const handler of [
      () => {
        throw boom
      },
      () => Promise.reject(boom),
    ]) {
      const { ipc, logError } = setup(handlersWith({ 'app:info': handler }))
      const result = await ipc.invoke('app:info', {})
      expect(result).toEqual({
        ok: false,
        error: { code: 'Internal', message: 'Unexpected error while handling app:info' },
      })
      // The exception's text stays in the main process log; the page never sees it.
      expect(JSON.stringify(result)).not.toContain('hunter2')
      expect(logError).toHaveBeenCalledWith('IPC handler for app:info failed', boom)
    }
  })

  it('passes a handler’s own error Result through unchanged', async () => {
    const { ipc } = setup(handlersWith({ 'app:info': () => err('PermissionDenied', 'nope', 'detail') }))
    await expect(ipc.invoke('app:info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'PermissionDenied', message: 'nope', detail: 'detail' },
    })
  })
})
