import { describe, expect, it, vi } from 'vitest'

const created = vi.hoisted(() => [] as FakeWindow[])

interface FakeWindow {
  options: Record<string, unknown>
  loaded: string[]
  shown: boolean
  onceListeners: Map<string, () => void>
}

// The real BrowserWindow needs the Electron binary; this stand-in records what the window was asked to be.
vi.mock('electron', () => ({
  BrowserWindow: class {
    options: Record<string, unknown>
    loaded: string[] = []
    shown = false
    onceListeners = new Map<string, () => void>()
    constructor(options: Record<string, unknown>) {
      this.options = options
      created.push(this as unknown as FakeWindow)
    }
    loadURL(url: string) {
      this.loaded.push(url)
      return Promise.resolve()
    }
    show() {
      this.shown = true
    }
    once(name: string, listener: () => void) {
      this.onceListeners.set(name, listener)
    }
  },
}))

const { createMainWindow } = await import('../../../electron/main/window.ts')

describe('createMainWindow', () => {
  it('opens a sandboxed, context-isolated window without Node and loads the renderer', () => {
    const window = createMainWindow({
      preloadPath: '/app/out/preload/index.cjs',
      rendererUrl: 'file:///app/out/renderer/index.html',
      devTools: false,
    })
    const fake = created[0]
    expect(fake).toBe(window)
    expect(fake?.options['webPreferences']).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    })
    expect(fake?.options['show']).toBe(false)
    expect(fake?.loaded).toEqual(['file:///app/out/renderer/index.html'])
  })

  it('shows the window once its first frame is ready', () => {
    createMainWindow({ preloadPath: '/p.cjs', rendererUrl: 'http://localhost:5173/', devTools: true })
    const fake = created.at(-1)
    expect(fake?.shown).toBe(false)
    fake?.onceListeners.get('ready-to-show')?.()
    expect(fake?.shown).toBe(true)
  })
})
