/**
 * The main window's size and position, kept in `<configDir>/window-state.json` and restored inside the
 * displays that exist now: a window saved on an unplugged monitor comes back on the primary one, and one
 * larger than its display shrinks to fit.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../engine/fs/atomic-write.ts'

export const WINDOW_STATE_FILE = 'window-state.json'
export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 780 }
export const MIN_WINDOW_SIZE = { width: 900, height: 600 }

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

const rect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
const windowStateSchema = z.object({ bounds: rect, maximized: z.boolean() })
export type WindowState = z.infer<typeof windowStateSchema>

/** The part of Electron's screen module used here. */
export interface ScreenLike {
  getAllDisplays(): { workArea: Rectangle }[]
  getPrimaryDisplay(): { workArea: Rectangle }
}

/** Where the window opens: no position means "let the OS centre it". */
export interface InitialBounds {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

/** The saved state, or null when there is none or it is unreadable (read before the window opens). */
export function readWindowState(configDir: string): WindowState | null {
  try {
    const parsed = windowStateSchema.safeParse(
      JSON.parse(readFileSync(join(configDir, WINDOW_STATE_FILE), 'utf8')),
    )
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export async function writeWindowState(configDir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(join(configDir, WINDOW_STATE_FILE), JSON.stringify(state), { mode: 0o600 })
}

const overlap = (a: Rectangle, b: Rectangle): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), max)

/**
 * The bounds to open with: the saved ones moved (and shrunk) into the display they overlap most, or the
 * default size centred by the OS when nothing was saved or the saved place is on no display any more.
 */
export function restoreBounds(saved: WindowState | null, screen: ScreenLike): InitialBounds {
  const primary = screen.getPrimaryDisplay().workArea
  const fitSize = (area: Rectangle, width: number, height: number) => ({
    width: Math.round(clamp(width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width)),
    height: Math.round(clamp(height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height)),
  })
  const valid =
    saved !== null &&
    [saved.bounds.x, saved.bounds.y, saved.bounds.width, saved.bounds.height].every(Number.isFinite)
  if (!valid) {
    return { ...fitSize(primary, DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height), maximized: false }
  }
  const { bounds } = saved
  const display = screen
    .getAllDisplays()
    .map((d) => ({ area: d.workArea, shared: overlap(bounds, d.workArea) }))
    .filter((d) => d.shared > 0)
    .sort((a, b) => b.shared - a.shared)[0]
  if (display === undefined) {
    return { ...fitSize(primary, bounds.width, bounds.height), maximized: saved.maximized }
  }
  const { area } = display
  const size = fitSize(area, bounds.width, bounds.height)
  return {
    x: Math.round(clamp(bounds.x, area.x, area.x + area.width - size.width)),
    y: Math.round(clamp(bounds.y, area.y, area.y + area.height - size.height)),
    ...size,
    maximized: saved.maximized,
  }
}

/** The part of BrowserWindow the tracker uses. */
export interface TrackedWindow {
  getNormalBounds(): Rectangle
  isMaximized(): boolean
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown
}

/**
 * Saves the window's state a moment after it stops moving or resizing, and when it closes. The normal
 * bounds are saved also while maximized, so un-maximizing after a restart returns to them.
 */
export function trackWindowState(
  window: TrackedWindow,
  configDir: string,
  options: { delayMs?: number; write?: typeof writeWindowState } = {},
): void {
  const write = options.write ?? writeWindowState
  let timer: ReturnType<typeof setTimeout> | undefined
  const save = (): void => {
    clearTimeout(timer)
    const state = { bounds: window.getNormalBounds(), maximized: window.isMaximized() }
    write(configDir, state).catch((e: unknown) => console.error('cannot save the window state', e))
  }
  const later = (): void => {
    clearTimeout(timer)
    timer = setTimeout(save, options.delayMs ?? 500)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, later)
  window.on('close', save)
}
