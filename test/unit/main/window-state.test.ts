import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  readWindowState,
  restoreBounds,
  trackWindowState,
  writeWindowState,
  type Rectangle,
  type ScreenLike,
  type WindowState,
} from '../../../electron/main/window-state.ts'

const area = (x: number, y: number, width: number, height: number): Rectangle => ({ x, y, width, height })
/** A laptop panel at the origin and a larger monitor to its right. */
const twoScreens: ScreenLike = {
  getPrimaryDisplay: () => ({ workArea: area(0, 0, 1440, 900) }),
  getAllDisplays: () => [{ workArea: area(0, 0, 1440, 900) }, { workArea: area(1440, 0, 2560, 1400) }],
}
const oneScreen: ScreenLike = {
  getPrimaryDisplay: () => ({ workArea: area(0, 25, 1280, 775) }),
  getAllDisplays: () => [{ workArea: area(0, 25, 1280, 775) }],
}
const saved = (bounds: Rectangle, maximized = false): WindowState => ({ bounds, maximized })

describe('restoreBounds', () => {
  it('opens at the default size, placed by the OS, when nothing was saved', () => {
    expect(restoreBounds(null, twoScreens)).toEqual({ width: 1200, height: 780, maximized: false })
  })

  it('keeps a window that fits where it was, on either display', () => {
    expect(restoreBounds(saved(area(100, 50, 1000, 700)), twoScreens)).toEqual({
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
      maximized: false,
    })
    expect(restoreBounds(saved(area(2000, 100, 1600, 1000), true), twoScreens)).toMatchObject({
      x: 2000,
      y: 100,
      maximized: true,
    })
  })

  it('moves a window hanging off its display back inside it', () => {
    expect(restoreBounds(saved(area(3500, 1000, 1000, 700)), twoScreens)).toEqual({
      x: 4000 - 1000,
      y: 1400 - 700,
      width: 1000,
      height: 700,
      maximized: false,
    })
  })

  it('a window saved on a monitor that is gone comes back on the primary display, placed by the OS', () => {
    expect(restoreBounds(saved(area(1600, 200, 1400, 900), true), oneScreen)).toEqual({
      width: 1280,
      height: 775,
      maximized: true,
    })
  })

  it('shrinks a window larger than its display, never below the minimum the display allows', () => {
    expect(restoreBounds(saved(area(0, 0, 3000, 2000)), oneScreen)).toEqual({
      x: 0,
      y: 25,
      width: 1280,
      height: 775,
      maximized: false,
    })
    expect(restoreBounds(saved(area(10, 40, 200, 100)), oneScreen)).toMatchObject({ width: 900, height: 600 })
  })

  it('ignores nonsense numbers', () => {
    expect(restoreBounds(saved(area(Number.NaN, 0, 1000, 700)), oneScreen)).toEqual({
      width: 1200,
      height: 775,
      maximized: false,
    })
  })
})

describe('window-state.json', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('round-trips through <configDir>/window-state.json, private to the user', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-ws-'))
    expect(readWindowState(dir)).toBeNull()
    await writeWindowState(dir, saved(area(1, 2, 1000, 700), true))
    expect(readWindowState(dir)).toEqual(saved(area(1, 2, 1000, 700), true))
    expect((await stat(join(dir, 'window-state.json'))).mode & 0o777).toBe(0o600)
  })

  it('a damaged file reads as nothing saved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-ws-'))
    await writeFile(join(dir, 'window-state.json'), '{"bounds": {"x": "left"}')
    expect(readWindowState(dir)).toBeNull()
    await writeFile(join(dir, 'window-state.json'), '{"bounds": {"x": "left"}, "maximized": 1}')
    expect(readWindowState(dir)).toBeNull()
  })

  it('saves once the window stops moving, and at once when it closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-ws-'))
    const listeners = new Map<string, () => void>()
    let bounds = area(10, 20, 1000, 700)
    const window = {
      getNormalBounds: () => bounds,
      isMaximized: () => false,
      on: (event: string, listener: () => void) => listeners.set(event, listener),
    }
    const write = vi.fn(writeWindowState)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    trackWindowState(window, dir, { delayMs: 500, write })
    listeners.get('move')?.()
    vi.advanceTimersByTime(400)
    bounds = area(30, 40, 1000, 700)
    listeners.get('move')?.() // still moving: the wait starts again
    vi.advanceTimersByTime(499)
    expect(write).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(write).toHaveBeenCalledTimes(1)
    await write.mock.results[0]?.value // the file is written (and renamed into place) asynchronously
    expect(JSON.parse(await readFile(join(dir, 'window-state.json'), 'utf8'))).toEqual(saved(bounds))
    listeners.get('close')?.()
    expect(write).toHaveBeenCalledTimes(2)
    await write.mock.results[1]?.value
  })
})
