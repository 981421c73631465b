/** The tray's next scheduled run: a disabled menu item with the preset and the local time. */
import { describe, expect, it } from 'vitest'
import { localRunTime, trayModel, type TrayState } from '../../../electron/main/tray/tray-model.ts'
import { createTrayService, type TrayMenuItemOptions } from '../../../electron/main/tray/tray-service.ts'

/** Local dates (the tray shows local time): 2026-01-12 is a Monday. */
const local = (day: number, hh: number, mm = 0): Date => new Date(2026, 0, day, hh, mm)
const NOW = local(12, 10, 15)

const state = (nextRun: TrayState['nextRun']): TrayState => ({
  presets: [{ id: 'n', label: 'Nightly' }],
  busyPresets: [],
  jobs: [],
  lastFailure: null,
  nextRun,
})

describe('tray: next scheduled run', () => {
  it('tells the time today, tomorrow, the weekday within a week, else the date', () => {
    expect(localRunTime(local(12, 14, 30), NOW)).toBe('14:30')
    expect(localRunTime(local(13, 2), NOW)).toBe('Tomorrow 02:00')
    expect(localRunTime(local(15, 2, 5), NOW)).toBe('Thu 02:05')
    expect(localRunTime(local(18, 23, 59), NOW)).toBe('Sun 23:59')
    expect(localRunTime(local(19, 2), NOW)).toBe('2026-01-19 02:00')
  })

  it('is a disabled item after the presets and jobs; absent when nothing is scheduled', () => {
    const items = trayModel(state({ label: 'Nightly', at: local(13, 2) }), NOW).items
    expect(items).toContainEqual({ kind: 'next', label: 'Next: Nightly at Tomorrow 02:00' })
    const index = items.findIndex((i) => i.kind === 'next')
    expect(items[index - 1]).toEqual({ kind: 'separator' })
    expect(items[index + 1]).toEqual({ kind: 'open', label: 'Open sfDBTools' })
    expect(trayModel(state(null), NOW).items.some((i) => i.kind === 'next')).toBe(false)
    expect(trayModel(state(undefined), NOW).items.some((i) => i.kind === 'next')).toBe(false)
  })

  it('the tray service shows what the scheduler says, not clickable, and follows its changes', () => {
    let menu: TrayMenuItemOptions[] = []
    const service = createTrayService<string, TrayMenuItemOptions[]>({
      createTray: () => ({
        setImage: () => {},
        setToolTip: () => {},
        setContextMenu: (m) => void (menu = m),
        on: () => {},
        destroy: () => {},
      }),
      buildMenu: (items) => items,
      loadIcon: (name) => name,
      actions: { runPreset: async () => null, cancelJob: () => {}, open: () => {}, quit: () => {} },
      now: () => NOW,
    })
    service.setNextRun({ presetId: 'n', label: 'Nightly', at: local(12, 23) })
    expect(menu).toContainEqual({ label: 'Next: Nightly at 23:00', enabled: false })
    service.setNextRun({ presetId: 'w', label: 'Weekly', at: local(14, 1) })
    expect(menu.map((i) => i.label)).toContain('Next: Weekly at Wed 01:00')
    expect(menu.map((i) => i.label)).not.toContain('Next: Nightly at 23:00')
    service.setNextRun(null)
    expect(menu.some((i) => i.label?.startsWith('Next:'))).toBe(false)
  })
})
