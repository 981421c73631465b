/**
 * The tray icon over injected factories (Electron's Tray, Menu.buildFromTemplate and nativeImage in the
 * app; fakes in tests). It keeps the tray's state, renders it through trayModel() and touches the native
 * tray only where the rendering changed — progress arrives up to ten times a second per job.
 */
import type { RunningJobView } from '../../../shared/ipc.ts'
import type { NextScheduledRun } from '../scheduler/app-scheduler.ts'
import { trayModel, type TrayIconName, type TrayItem, type TrayModel, type TrayState } from './tray-model.ts'

/** A menu item as Menu.buildFromTemplate takes it (a subset of MenuItemConstructorOptions). */
export interface TrayMenuItemOptions {
  label?: string
  type?: 'normal' | 'separator'
  enabled?: boolean
  click?: () => void
}

/** The part of Electron's Tray the service uses. */
export interface TrayHandle<Icon, Menu> {
  setImage(icon: Icon): void
  setToolTip(text: string): void
  setContextMenu(menu: Menu): void
  on(event: 'click', listener: () => void): unknown
  destroy(): void
}

export interface TrayActions {
  /**
   * Runs a quick-backup preset: the app asks for its ticket in the window first. Resolves with the job id
   * when one started at once, else null (the job then shows among the running ones when it starts).
   */
  runPreset(presetId: string): Promise<string | null>
  cancelJob(jobId: string): void
  /** Shows the main window (with the job's result when a job id is given). */
  open(jobId?: string): void
  quit(): void
}

export interface TrayServiceOptions<Icon, Menu> {
  createTray(icon: Icon): TrayHandle<Icon, Menu>
  buildMenu(items: TrayMenuItemOptions[]): Menu
  loadIcon(icon: TrayIconName): Icon
  actions: TrayActions
  /** Left click opens the window where the platform reports it (Windows, macOS without a menu). */
  openOnClick?: boolean
  /** The clock the next run's "today" / "tomorrow" is told by (default: the system's). */
  now?: () => Date
}

export interface TrayService {
  setPresets(presets: TrayState['presets']): void
  setJobs(jobs: RunningJobView[]): void
  jobFailed(failure: NonNullable<TrayState['lastFailure']>): void
  /** The scheduler's next run (null: nothing scheduled). */
  setNextRun(next: NextScheduledRun | null): void
  /** The user has seen the failure (opened the window): back to the idle icon. */
  clearFailure(): void
  /** What the tray shows now. */
  model(): TrayModel
  destroy(): void
}

export function createTrayService<Icon, Menu>(options: TrayServiceOptions<Icon, Menu>): TrayService {
  const { actions } = options
  const state: TrayState = { presets: [], busyPresets: [], jobs: [], lastFailure: null, nextRun: null }
  const now = options.now ?? (() => new Date())
  /** Preset → the job it started (null while starting). */
  const presetRuns = new Map<string, string | null>()
  let shown = trayModel(state, now())
  let shownItems = JSON.stringify(shown.items)
  const icons = new Map<TrayIconName, Icon>()
  const icon = (name: TrayIconName): Icon => {
    let image = icons.get(name)
    if (image === undefined) icons.set(name, (image = options.loadIcon(name)))
    return image
  }
  const tray = options.createTray(icon(shown.icon))
  tray.setToolTip(shown.tooltip)
  tray.setContextMenu(options.buildMenu(shown.items.map(toMenuItem)))
  if (options.openOnClick) tray.on('click', () => open())

  function render(): void {
    for (const [presetId, jobId] of presetRuns) {
      if (jobId !== null && !state.jobs.some((j) => j.jobId === jobId)) presetRuns.delete(presetId)
    }
    state.busyPresets = [...presetRuns.keys()]
    const next = trayModel(state, now())
    const nextItems = JSON.stringify(next.items)
    if (next.icon !== shown.icon) tray.setImage(icon(next.icon))
    if (next.tooltip !== shown.tooltip) tray.setToolTip(next.tooltip)
    if (nextItems !== shownItems) tray.setContextMenu(options.buildMenu(next.items.map(toMenuItem)))
    shown = next
    shownItems = nextItems
  }

  function open(jobId?: string): void {
    state.lastFailure = null
    render()
    actions.open(jobId)
  }

  function runPreset(presetId: string): void {
    if (presetRuns.has(presetId)) return
    presetRuns.set(presetId, null)
    render()
    const settle = (jobId: string | null): void => {
      if (jobId === null) presetRuns.delete(presetId)
      else presetRuns.set(presetId, jobId)
      render()
    }
    actions.runPreset(presetId).then(settle, () => settle(null))
  }

  function toMenuItem(item: TrayItem): TrayMenuItemOptions {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' }
      case 'heading':
      case 'job':
      case 'next':
        return { label: item.label, enabled: false }
      case 'preset':
        return { label: item.label, enabled: item.enabled, click: () => runPreset(item.presetId) }
      case 'cancel':
        return { label: item.label, enabled: item.enabled, click: () => actions.cancelJob(item.jobId) }
      case 'failure':
        return { label: item.label, click: () => open(item.jobId) }
      case 'open':
        return { label: item.label, click: () => open() }
      case 'quit':
        return { label: item.label, click: () => actions.quit() }
    }
  }

  return {
    setPresets(presets) {
      state.presets = presets.map(({ id, label }) => ({ id, label }))
      render()
    },
    setJobs(jobs) {
      state.jobs = jobs
      render()
    },
    setNextRun(next) {
      state.nextRun = next === null ? null : { label: next.label, at: next.at }
      render()
    },
    jobFailed(failure) {
      state.lastFailure = failure
      render()
    },
    clearFailure() {
      state.lastFailure = null
      render()
    },
    model: () => shown,
    destroy: () => tray.destroy(),
  }
}
