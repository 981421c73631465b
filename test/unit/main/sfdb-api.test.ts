import { describe, expect, it, vi } from 'vitest'
import {
  createSfdbApi,
  SFDB_APP_EVENT_CHANNEL,
  SFDB_CHANNELS,
  SFDB_JOB_EVENT_CHANNEL,
} from '../../../electron/preload/sfdb-api.ts'
import { APP_EVENT_CHANNEL, IPC_CHANNELS, JOB_EVENT_CHANNEL } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'

function fakeTransport() {
  const listeners = new Set<(event: unknown) => void>()
  const appListeners = new Set<(event: unknown) => void>()
  return {
    listeners,
    appListeners,
    invoke: vi.fn((_channel: string, _request: unknown) => Promise.resolve({ ok: true, value: 'answer' })),
    subscribeJobEvents: (listener: (event: unknown) => void) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    subscribeAppEvents: (listener: (event: unknown) => void) => {
      appListeners.add(listener)
      return () => void appListeners.delete(listener)
    },
  }
}

describe('createSfdbApi', () => {
  it('lists the same channels as the contract', () => {
    expect([...SFDB_CHANNELS]).toEqual(IPC_CHANNELS)
    expect(SFDB_JOB_EVENT_CHANNEL).toBe(JOB_EVENT_CHANNEL)
    expect(SFDB_APP_EVENT_CHANNEL).toBe(APP_EVENT_CHANNEL)
  })

  it('exposes invoke, onJobEvent and onAppEvent only', () => {
    expect(Object.keys(createSfdbApi(SFDB_CHANNELS, fakeTransport()))).toEqual([
      'invoke',
      'onJobEvent',
      'onAppEvent',
    ])
  })

  it('delivers navigation requests until the listener unsubscribes', () => {
    const transport = fakeTransport()
    const api = createSfdbApi(SFDB_CHANNELS, transport)
    const seen: unknown[] = []
    const unsubscribe = api.onAppEvent((event) => seen.push(event))
    for (const listener of transport.appListeners) listener({ type: 'open-result', jobId: 'j1' })
    unsubscribe()
    for (const listener of transport.appListeners) listener({ type: 'open-jobs' })
    expect(seen).toEqual([{ type: 'open-result', jobId: 'j1' }])
    expect(() => api.onAppEvent('nope' as never)).toThrow(TypeError)
  })

  it('forwards contract channels to the transport', async () => {
    const transport = fakeTransport()
    const api = createSfdbApi(SFDB_CHANNELS, transport)
    await expect(api.invoke('app:info', {})).resolves.toEqual({ ok: true, value: 'answer' })
    expect(transport.invoke).toHaveBeenCalledWith('app:info', {})
  })

  it('answers other channels with InvalidInput without reaching the transport', async () => {
    const transport = fakeTransport()
    const api = createSfdbApi(SFDB_CHANNELS, transport)
    const invoke = api.invoke as (channel: unknown, request: unknown) => Promise<unknown>
    for (const channel of ['shell:exec', '__proto__', 42]) {
      await expect(invoke(channel, {})).resolves.toMatchObject({ ok: false, error: { code: 'InvalidInput' } })
    }
    expect(transport.invoke).not.toHaveBeenCalled()
  })

  it('delivers job events until the listener unsubscribes', () => {
    const transport = fakeTransport()
    const api = createSfdbApi(SFDB_CHANNELS, transport)
    const seen: JobEvent[] = []
    const unsubscribe = api.onJobEvent((event) => seen.push(event))
    const event: JobEvent = { type: 'log', jobId: 'j1', level: 'info', message: 'hello' }
    for (const listener of transport.listeners) listener(event)
    unsubscribe()
    for (const listener of transport.listeners) listener(event)
    expect(seen).toEqual([event])
    expect(() => api.onJobEvent('nope' as never)).toThrow(TypeError)
  })
})
