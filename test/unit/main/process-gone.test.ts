import { afterEach, describe, expect, it, vi } from 'vitest'
import { createProcessGoneTracker, goneReasonText } from '../../../electron/main/jobs/process-gone.ts'

afterEach(() => vi.useRealTimers())

describe("Electron's reasons for a process that is gone", () => {
  it('in words, with the reason itself', () => {
    expect(goneReasonText('crashed')).toBe('crashed [crashed]')
    expect(goneReasonText('oom')).toBe('ran out of memory [oom]')
    expect(goneReasonText('killed')).toBe('was killed (by the OS or another program) [killed]')
    expect(goneReasonText('launch-failed')).toBe('could not be launched [launch-failed]')
    expect(goneReasonText('abnormal-exit')).toBe('exited abnormally [abnormal-exit]')
    expect(goneReasonText('integrity-failure')).toBe('failed a code integrity check [integrity-failure]')
    expect(goneReasonText('something-new')).toBe('something-new')
  })

  it('keeps the reason of a utility process by its name until it is taken, once', async () => {
    const gone = createProcessGoneTracker()
    gone.record({ type: 'Utility', reason: 'killed', exitCode: 9, name: 'job a' })
    gone.record({ type: 'Utility', reason: 'oom', exitCode: 9, serviceName: 'job b' })
    gone.record({ type: 'GPU', reason: 'crashed', exitCode: 1, name: 'job c' })
    expect(await gone.take('job a')).toBe('was killed (by the OS or another program) [killed]')
    expect(await gone.take('job b')).toBe('ran out of memory [oom]')
    expect(await gone.take('job a', 0)).toBeNull()
    expect(await gone.take('job c', 0)).toBeNull()
  })

  it('a reason asked for before it arrives is given when it does; none gives null after the wait', async () => {
    vi.useFakeTimers()
    const gone = createProcessGoneTracker()
    const waiting = gone.take('job a', 1000)
    gone.record({ type: 'Utility', reason: 'crashed', exitCode: 11, name: 'job a' })
    expect(await waiting).toBe('crashed [crashed]')

    const never = gone.take('job b', 1000)
    vi.advanceTimersByTime(1000)
    expect(await never).toBeNull()
    // What arrives after the wait is kept for a later question, then forgotten.
    gone.record({ type: 'Utility', reason: 'oom', exitCode: 9, name: 'job b' })
    expect(await gone.take('job b')).toBe('ran out of memory [oom]')
    gone.record({ type: 'Utility', reason: 'oom', exitCode: 9, name: 'job b' })
    vi.advanceTimersByTime(60_000)
    const forgotten = gone.take('job b', 10)
    vi.advanceTimersByTime(10)
    expect(await forgotten).toBeNull()
  })
})
