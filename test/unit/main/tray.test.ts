import { describe, expect, it, vi } from 'vitest'
import type { RunningJobView } from '../../../shared/ipc.ts'
import { trayIconPath } from '../../../electron/main/tray/tray-icons.ts'
import { jobPercent, trayModel, type TrayIconName } from '../../../electron/main/tray/tray-model.ts'
import {
  createTrayService,
  type TrayActions,
  type TrayMenuItemOptions,
} from '../../../electron/main/tray/tray-service.ts'
import { progress } from './fake-job-child.ts'

/** Electron's Tray as the service drives it: what it shows now and how often it was redrawn. */
class FakeTray {
  image: string
  tooltip = ''
  menu: TrayMenuItemOptions[] = []
  menuUpdates = 0
  imageUpdates = 0
  destroyed = false
  constructor(image: string) {
    this.image = image
  }
  setImage(image: string) {
    this.image = image
    this.imageUpdates++
  }
  setToolTip(text: string) {
    this.tooltip = text
  }
  setContextMenu(menu: TrayMenuItemOptions[]) {
    this.menu = menu
    this.menuUpdates++
  }
  on() {}
  destroy() {
    this.destroyed = true
  }
}

function job(jobId: string, profile: string, fraction: number | null, cancelling = false): RunningJobView {
  return {
    jobId,
    profile,
    mode: 'single',
    ticket: 'T',
    startedAt: '2025-01-01T00:00:00.000Z',
    files: [],
    progress: progress(fraction),
    cancelling,
  }
}

function setup(runPreset: TrayActions['runPreset'] = async () => 'job-1') {
  let tray: FakeTray | undefined
  const actions = {
    runPreset: vi.fn(runPreset),
    cancelJob: vi.fn(),
    open: vi.fn(),
    quit: vi.fn(),
  }
  const service = createTrayService<string, TrayMenuItemOptions[]>({
    createTray: (icon) => (tray = new FakeTray(icon)),
    buildMenu: (items) => items,
    loadIcon: (name: TrayIconName) => `icon:${name}`,
    actions,
  })
  return { service, actions, tray: tray as unknown as FakeTray }
}

const labels = (menu: TrayMenuItemOptions[]) => menu.map((i) => (i.type === 'separator' ? '---' : i.label))
const click = (menu: TrayMenuItemOptions[], label: string) => {
  const item = menu.find((i) => i.label === label)
  if (!item?.click) throw new Error(`no clickable item '${label}' in ${JSON.stringify(labels(menu))}`)
  item.click()
}

describe('tray model', () => {
  it('turns the last progress into a whole-job percent', () => {
    expect(jobPercent(null)).toBeNull()
    expect(jobPercent(progress(null))).toBeNull()
    expect(jobPercent(progress(0.456))).toBe(45)
    // The second of two files, half done: three quarters of the job.
    expect(jobPercent(progress(0.5, 1, 2))).toBe(75)
    expect(jobPercent(progress(1.2))).toBe(100)
  })

  it('idle: presets, Open and Quit; the tooltip is the app name', () => {
    const model = trayModel({
      presets: [{ id: 'n', label: 'Nightly' }],
      busyPresets: [],
      jobs: [],
      lastFailure: null,
    })
    expect(model.icon).toBe('idle')
    expect(model.tooltip).toBe('sfDBTools Desktop')
    expect(model.items.map((i) => ('label' in i ? i.label : '---'))).toEqual([
      'Quick backup',
      'Nightly',
      '---',
      'Open sfDBTools',
      '---',
      'Quit',
    ])
  })

  it('keeps the tooltip within what Windows shows', () => {
    const model = trayModel({
      presets: [],
      busyPresets: [],
      jobs: [],
      lastFailure: { jobId: 'j', profile: 'prod', message: 'x'.repeat(300) },
    })
    expect(model.tooltip.length).toBeLessThanOrEqual(127)
  })
})

describe('tray service', () => {
  it('renders idle, then running jobs with their percent and a Cancel item, then back to idle', () => {
    const { service, actions, tray } = setup()
    expect(tray.image).toBe('icon:idle')
    expect(labels(tray.menu)).toEqual([
      'Quick backup',
      'No presets (add them in Settings)',
      '---',
      'Open sfDBTools',
      '---',
      'Quit',
    ])

    service.setJobs([job('j1', 'prod', 0.42), job('j2', 'staging', null, true)])
    expect(tray.image).toBe('icon:running')
    expect(tray.tooltip).toBe('sfDBTools Desktop — 2 backups running')
    expect(labels(tray.menu)).toEqual([
      'Quick backup',
      'No presets (add them in Settings)',
      '---',
      'Running',
      'prod: 42%',
      'Cancel prod',
      'staging: cancelling…',
      'Cancel staging',
      '---',
      'Open sfDBTools',
      '---',
      'Quit',
    ])
    expect(tray.menu.find((i) => i.label === 'prod: 42%')?.enabled).toBe(false)
    expect(tray.menu.find((i) => i.label === 'Cancel staging')?.enabled).toBe(false)
    click(tray.menu, 'Cancel prod')
    expect(actions.cancelJob).toHaveBeenCalledWith('j1')

    service.setJobs([])
    expect(tray.image).toBe('icon:idle')
  })

  it("shows one job's percent in the tooltip and redraws the menu only when what it shows changed", () => {
    const { service, tray } = setup()
    service.setJobs([job('j1', 'prod', 0.421)])
    expect(tray.tooltip).toBe('sfDBTools Desktop — 1 backup running (42%)')
    const menus = tray.menuUpdates
    const images = tray.imageUpdates
    service.setJobs([job('j1', 'prod', 0.425)]) // still 42 %
    expect(tray.menuUpdates).toBe(menus)
    service.setJobs([job('j1', 'prod', 0.43)])
    expect(tray.menuUpdates).toBe(menus + 1)
    expect(tray.imageUpdates).toBe(images)
  })

  it('a failure shows the failed icon once no job runs, until the window is opened', () => {
    const { service, actions, tray } = setup()
    service.setJobs([job('j1', 'prod', 0.1)])
    service.jobFailed({ jobId: 'j0', profile: 'prod', message: 'Access denied' })
    expect(tray.image).toBe('icon:running')
    service.setJobs([])
    expect(tray.image).toBe('icon:failed')
    expect(tray.tooltip).toBe('sfDBTools Desktop — backup failed (prod): Access denied')
    click(tray.menu, 'Backup failed: prod')
    expect(actions.open).toHaveBeenCalledWith('j0')
    expect(tray.image).toBe('icon:idle')

    service.jobFailed({ jobId: 'j3', profile: 'prod', message: 'boom' })
    click(tray.menu, 'Open sfDBTools')
    expect(actions.open).toHaveBeenLastCalledWith(undefined)
    expect(tray.image).toBe('icon:idle')
  })

  it('a preset click runs the preset; it is not offered again while its job runs', async () => {
    let started = (): void => {}
    // As in the app: the supervisor announces the job (setJobs) before 'backups:start' answers.
    const { service, actions, tray } = setup(
      () => new Promise((resolve) => (started = () => resolve('job-7'))),
    )
    service.setPresets([
      { id: 'nightly', label: 'Nightly prod' },
      { id: 'stage', label: 'Staging' },
    ])
    click(tray.menu, 'Nightly prod')
    expect(actions.runPreset).toHaveBeenCalledWith('nightly')
    expect(tray.menu.find((i) => i.label === 'Nightly prod')?.enabled).toBe(false)
    service.setJobs([job('job-7', 'prod', 0.1)])
    started()
    await new Promise((r) => setTimeout(r, 0))
    expect(tray.menu.find((i) => i.label === 'Nightly prod')?.enabled).toBe(false)
    expect(tray.menu.find((i) => i.label === 'Staging')?.enabled).toBe(true)
    service.setJobs([])
    expect(tray.menu.find((i) => i.label === 'Nightly prod')?.enabled).toBe(true)
  })

  it('a preset that does not start is offered again at once', async () => {
    const { service, tray } = setup(async () => {
      throw new Error('no key')
    })
    service.setPresets([{ id: 'n', label: 'Nightly' }])
    click(tray.menu, 'Nightly')
    await new Promise((r) => setTimeout(r, 0))
    expect(tray.menu.find((i) => i.label === 'Nightly')?.enabled).toBe(true)
  })

  it('Quit quits; destroy removes the tray', () => {
    const { service, actions, tray } = setup()
    click(tray.menu, 'Quit')
    expect(actions.quit).toHaveBeenCalledOnce()
    service.destroy()
    expect(tray.destroyed).toBe(true)
  })
})

describe('tray icon files', () => {
  it('colour images on Windows and Linux, template images on macOS', () => {
    expect(trayIconPath('/r', 'idle', 'linux')).toBe('/r/tray.png')
    expect(trayIconPath('/r', 'running', 'win32')).toBe('/r/tray-busy.png')
    expect(trayIconPath('/r', 'failed', 'linux')).toBe('/r/tray-failed.png')
    expect(trayIconPath('/r', 'failed', 'darwin')).toBe('/r/trayFailedTemplate.png')
  })

  it('every image the tray can show exists, in 1x and 2x', async () => {
    const { existsSync } = await import('node:fs')
    const { resolve } = await import('node:path')
    const dir = resolve(import.meta.dirname, '../../../resources/tray')
    for (const platform of ['linux', 'darwin'])
      for (const icon of ['idle', 'running', 'failed'] as const) {
        const path = trayIconPath(dir, icon, platform)
        expect(existsSync(path), path).toBe(true)
        expect(existsSync(path.replace(/\.png$/, '@2x.png')), path).toBe(true)
      }
  })
})
