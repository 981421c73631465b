/**
 * Closing the window or quitting while backups run: ask whether to keep them running in the tray (the
 * window hides, the app stays alive, the jobs go on) or to stop them (cancel → wait → kill, then quit).
 * Without this the app would exit under its jobs, and Electron kills utility processes with it —
 * leaving nobody to remove their partial files.
 */
export type CloseChoice = 'keep' | 'stop' | 'cancel'

/** The event of 'close' (BrowserWindow) and 'before-quit' (app). */
export interface PreventableEvent {
  preventDefault(): void
}

/** The question, as dialog.showMessageBox takes it; the buttons' order is CLOSE_CHOICES. */
export interface ClosePrompt {
  type: 'question'
  message: string
  detail: string
  buttons: string[]
  defaultId: number
  cancelId: number
}

export const CLOSE_CHOICES: readonly CloseChoice[] = ['keep', 'stop', 'cancel']

export function closePrompt(running: number): ClosePrompt {
  const what = running === 1 ? 'A backup is' : `${running} backups are`
  return {
    type: 'question',
    message: `${what} still running`,
    detail:
      'Keep running in the tray: the window closes and the backups go on; the tray icon shows their progress. ' +
      'Stop and quit: the backups are cancelled and their partial files removed.',
    buttons: ['Keep running in the tray', 'Stop backups and quit', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
  }
}

/** The answer of showMessageBox (the button's index) as a choice; anything unknown is a cancel. */
export const closeChoiceOf = (response: number): CloseChoice => CLOSE_CHOICES[response] ?? 'cancel'

export interface CloseGuardOptions {
  runningJobs(): number
  /** Asks the user (a modal dialog in the app). */
  ask(running: number): Promise<CloseChoice>
  hideWindow(): void
  /** Cancels every job and settles once all have ended. */
  stopJobs(): Promise<void>
  /** Quits the app (app.quit: 'before-quit' comes back here and is let through). */
  quit(): void
  /** Whether closing the last window quits the app (not on macOS, where the app lives on in the dock). */
  closeQuits: boolean
}

export interface CloseGuard {
  /** The main window's 'close' event. */
  onWindowClose(event: PreventableEvent): void
  /** The app's 'before-quit' event. */
  onBeforeQuit(event: PreventableEvent): void
  /** The app is on its way out: nothing may stop a window from closing any more. */
  quitting(): boolean
}

export function createCloseGuard(options: CloseGuardOptions): CloseGuard {
  let state: 'open' | 'asking' | 'stopping' | 'quitting' = 'open'

  async function decide(): Promise<void> {
    state = 'asking'
    let choice: CloseChoice
    try {
      choice = await options.ask(options.runningJobs())
    } catch {
      choice = 'cancel'
    }
    if (choice === 'keep') {
      state = 'open'
      options.hideWindow()
    } else if (choice === 'stop') {
      state = 'stopping'
      await options.stopJobs().catch(() => {})
      state = 'quitting'
      options.quit()
    } else state = 'open'
  }

  /** True when the event was stopped. */
  const hold = (event: PreventableEvent): boolean => {
    if (state === 'quitting' || (state === 'open' && options.runningJobs() === 0)) return false
    event.preventDefault()
    if (state === 'open') void decide()
    return true
  }

  return {
    onWindowClose(event) {
      if (!options.closeQuits && state !== 'stopping') return
      hold(event)
    },
    onBeforeQuit(event) {
      if (!hold(event)) state = 'quitting'
    },
    quitting: () => state === 'quitting',
  }
}
