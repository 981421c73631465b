import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  closeChoiceOf,
  closePrompt,
  createCloseGuard,
  type CloseChoice,
} from '../../../electron/main/jobs/close-guard.ts'

function setup(options: { running: number; answer?: CloseChoice; closeQuits?: boolean }) {
  let running = options.running
  const calls: string[] = []
  const guard = createCloseGuard({
    runningJobs: () => running,
    ask: vi.fn(async (n: number) => {
      calls.push(`ask ${n}`)
      return options.answer ?? 'cancel'
    }),
    hideWindow: () => calls.push('hide'),
    stopJobs: async () => {
      calls.push('stop')
      await new Promise((r) => setTimeout(r, 5_000)) // the jobs take their time to end (fake timers)
      running = 0
      calls.push('stopped')
    },
    quit: () => calls.push('quit'),
    closeQuits: options.closeQuits ?? true,
  })
  const event = () => {
    const e = { prevented: false, preventDefault: () => (e.prevented = true) }
    return e
  }
  /** Lets the dialog answer and the jobs end: every pending promise and (fake) timer, in order. */
  const settle = () => vi.runAllTimersAsync()
  return { guard, calls, event, settle }
}

describe('closing the window while backups run', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('without running jobs the window closes and the app quits as usual', () => {
    const { guard, calls, event } = setup({ running: 0 })
    const close = event()
    guard.onWindowClose(close)
    const quit = event()
    guard.onBeforeQuit(quit)
    expect([close.prevented, quit.prevented, calls]).toEqual([false, false, []])
    expect(guard.quitting()).toBe(true)
  })

  it('keep: the window hides, the jobs go on, the app stays alive', async () => {
    const { guard, calls, event, settle } = setup({ running: 2, answer: 'keep' })
    const close = event()
    guard.onWindowClose(close)
    expect(close.prevented).toBe(true)
    await settle()
    expect(calls).toEqual(['ask 2', 'hide'])
    expect(guard.quitting()).toBe(false)
  })

  it('stop: the jobs are cancelled and waited for, then the app quits and nothing holds it back', async () => {
    const { guard, calls, event, settle } = setup({ running: 1, answer: 'stop' })
    guard.onWindowClose(event())
    await settle()
    expect(calls).toEqual(['ask 1', 'stop', 'stopped', 'quit'])
    // app.quit() comes back through before-quit and the window's close: both pass now.
    const quit = event()
    guard.onBeforeQuit(quit)
    const close = event()
    guard.onWindowClose(close)
    expect([quit.prevented, close.prevented]).toEqual([false, false])
  })

  it('cancel: nothing happens; one question at a time', async () => {
    const { guard, calls, event, settle } = setup({ running: 1, answer: 'cancel' })
    guard.onWindowClose(event())
    const again = event()
    guard.onWindowClose(again) // a second click while the dialog is open
    expect(again.prevented).toBe(true)
    await settle()
    expect(calls).toEqual(['ask 1'])
    expect(guard.quitting()).toBe(false)
  })

  it('quitting (tray, menu) with jobs running asks the same question', async () => {
    const { guard, calls, event, settle } = setup({ running: 3, answer: 'stop' })
    const quit = event()
    guard.onBeforeQuit(quit)
    expect(quit.prevented).toBe(true)
    await settle()
    expect(calls).toEqual(['ask 3', 'stop', 'stopped', 'quit'])
  })

  it('on macOS closing the window never stops the app, so it does not ask', () => {
    const { guard, calls, event } = setup({ running: 1, closeQuits: false })
    const close = event()
    guard.onWindowClose(close)
    expect([close.prevented, calls]).toEqual([false, []])
  })

  it('the dialog: buttons in choice order, Escape is Cancel', () => {
    const prompt = closePrompt(2)
    expect(prompt.message).toBe('2 backups are still running')
    expect(prompt.buttons.map((_, i) => closeChoiceOf(i))).toEqual(['keep', 'stop', 'cancel'])
    expect(closeChoiceOf(prompt.cancelId)).toBe('cancel')
    expect(closeChoiceOf(7)).toBe('cancel')
    expect(closePrompt(1).message).toBe('A backup is still running')
  })
})
