import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { appMenuTemplate, installAppMenu, type AppMenuOptions } from '../../../electron/main/menu.ts'

const options = (platform: string, development: boolean): AppMenuOptions => ({
  appName: 'sfDBTools Desktop',
  platform,
  development,
  actions: { openWindow: vi.fn(), openLogFolder: vi.fn(), openConfigFolder: vi.fn() },
})

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])])
const tops = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role)

describe('application menu', () => {
  it('File, Edit, View, Window, Help — with the app menu first on macOS', () => {
    expect(tops(appMenuTemplate(options('linux', false)))).toEqual(['File', 'Edit', 'View', 'Window', 'help'])
    expect(tops(appMenuTemplate(options('darwin', false)))).toEqual([
      'sfDBTools Desktop',
      'File',
      'Edit',
      'View',
      'Window',
      'help',
    ])
  })

  it('developer tools and reload only in development', () => {
    expect(roles(appMenuTemplate(options('linux', true)))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload', 'forceReload']),
    )
    for (const platform of ['linux', 'win32', 'darwin']) {
      const shipped = roles(appMenuTemplate(options(platform, false)))
      expect(shipped).not.toContain('toggleDevTools')
      expect(shipped).not.toContain('reload')
      expect(shipped).not.toContain('forceReload')
    }
  })

  it('copy and paste work in the forms (macOS needs the Edit roles)', () => {
    expect(roles(appMenuTemplate(options('darwin', false)))).toEqual(
      expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'quit']),
    )
  })

  it('its own items call the actions; installAppMenu sets the built menu', () => {
    const o = options('linux', false)
    const template = appMenuTemplate(o)
    const items = template.flatMap((i) => (Array.isArray(i.submenu) ? i.submenu : []))
    const byLabel = (label: string) => items.find((i) => i.label === label)?.click as () => void
    byLabel('Open Main Window')()
    byLabel('Open Log Folder')()
    byLabel('Open Config Folder')()
    expect(o.actions.openWindow).toHaveBeenCalledOnce()
    expect(o.actions.openLogFolder).toHaveBeenCalledOnce()
    expect(o.actions.openConfigFolder).toHaveBeenCalledOnce()

    const menu = { buildFromTemplate: vi.fn(() => 'built' as never), setApplicationMenu: vi.fn() }
    installAppMenu(o, menu)
    expect(menu.setApplicationMenu).toHaveBeenCalledWith('built')
  })
})
