/**
 * The app shell in a real Chromium: the built renderer, window.sfdb built by the preload's own code, and
 * the real main-process request path (dispatcher + handlers) answering in this process.
 */
import { describe, expect, it } from 'vitest'
import { err } from '../../shared/result.ts'
import { readPackageJson } from './harness/node-platform.ts'
import { withApp } from './harness/with-app.ts'

const pkg = readPackageJson()
const SECTIONS = ['Dashboard', 'Profiles', 'New backup', 'Jobs', 'History', 'Settings']
const PLATFORM_LABELS: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }

describe('app shell', () => {
  it('shows the app frame and the version answered by the real app:info handler', async () => {
    await withApp(
      async ({ page, consoleErrors, ipcCalls, screenshot }) => {
        const version = page.getByTestId('app-version')
        await expect.poll(() => version.textContent()).toBe(`sfDBTools Desktop v${pkg.version}`)

        // The text came over IPC: the page asked app:info (once, among the other pages' first loads) and the
        // real handler answered from package.json.
        const appInfoCalls = ipcCalls.filter(({ channel }) => channel === 'app:info')
        expect(appInfoCalls.map(({ channel, request, result }) => ({ channel, request, result }))).toEqual([
          {
            channel: 'app:info',
            request: {},
            result: {
              ok: true,
              value: {
                name: 'sfDBTools Desktop',
                version: pkg.version,
                platform: process.platform,
                // The handlers run on plain Node here: no Electron, no Chromium in the main process.
                versions: { node: process.versions.node, electron: null, chromium: null },
                programs: [
                  expect.objectContaining({ role: 'dump', path: expect.any(String) }),
                  expect.objectContaining({ role: 'client', path: expect.any(String) }),
                ],
              },
            },
          },
        ])

        await expect.poll(() => page.getByRole('banner').textContent()).toContain('sfDBTools Desktop')
        const nav = page.getByRole('navigation', { name: 'Main' })
        expect(await nav.getByRole('button').allTextContents()).toEqual(SECTIONS)
        expect(await nav.getByRole('button', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('page')
        const main = page.getByRole('main')
        expect(await main.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard')
        expect(await main.getByRole('heading', { name: 'Welcome to sfDBTools Desktop' }).isVisible()).toBe(
          true,
        )
        expect(await page.getByRole('contentinfo').textContent()).toContain(PLATFORM_LABELS[process.platform])

        // window.sfdb has the preload's shape and nothing else.
        expect(await page.evaluate('Object.keys(window.sfdb)')).toEqual([
          'invoke',
          'onJobEvent',
          'onAppEvent',
        ])
        expect(await page.evaluate('Object.isFrozen(window.sfdb)')).toBe(true)

        await screenshot('app-shell')
        await page.emulateMedia({ colorScheme: 'dark' })
        await screenshot('app-shell-dark')
        expect(consoleErrors).toEqual([])
      },
      { name: 'app-shell-failure' },
    )
  })

  it('answers bad requests with InvalidInput Results through the real dispatcher', async () => {
    await withApp(async ({ page, consoleErrors }) => {
      await page.getByTestId('app-version').waitFor()
      expect(await page.evaluate("window.sfdb.invoke('app:info', { extra: 1 })")).toMatchObject({
        ok: false,
        error: { code: 'InvalidInput', message: 'Invalid request on app:info' },
      })
      expect(await page.evaluate("window.sfdb.invoke('fs:delete', {})")).toMatchObject({
        ok: false,
        error: { code: 'InvalidInput', message: 'Unknown IPC channel: fs:delete' },
      })
      expect(consoleErrors).toEqual([])
    })
  })

  it('shows an error in the status bar when app:info fails', async () => {
    await withApp(
      async ({ page, screenshot }) => {
        const alert = page.getByRole('contentinfo').getByRole('alert')
        await expect.poll(() => alert.textContent()).toBe('Version unavailable: no version today')
        await screenshot('app-shell-version-error')
      },
      {
        handlers: { 'app:info': () => err('Internal', 'no version today') },
        name: 'app-shell-error-failure',
      },
    )
  })

  it('runs under the strict CSP of index.html: no inline script, no eval', async () => {
    await withApp(async ({ page, consoleErrors }) => {
      await page.getByTestId('app-version').waitFor()
      expect(consoleErrors).toEqual([])
      // Page-side code as a string: tsconfig.node.json has no DOM types. The page answers once both
      // attempts have been reported as violations (the reports are queued as tasks, so they come later) —
      // or, should one never come, after 30 s, with what it saw: the test then fails on it.
      const outcome = await page.evaluate(`new Promise((resolve) => {
        const violations = []
        let evalRan = false
        const answer = () => resolve({ inlineRan: window.__inlineRan, evalRan, violations })
        const deadline = setTimeout(answer, 30000)
        document.addEventListener('securitypolicyviolation', (e) => {
          violations.push(e.effectiveDirective)
          if (violations.includes('script-src-elem') && violations.includes('script-src')) {
            clearTimeout(deadline)
            answer()
          }
        })
        window.__inlineRan = false
        const script = document.createElement('script')
        script.textContent = 'window.__inlineRan = true'
        document.head.appendChild(script)
        // Later, from a task of the page's own: DevTools exempts its own evaluation from the CSP.
        setTimeout(() => {
          try { evalRan = eval('true') } catch { evalRan = false }
        }, 0)
      })`)
      expect(outcome).toEqual({
        inlineRan: false,
        evalRan: false,
        violations: expect.arrayContaining(['script-src-elem', 'script-src']),
      })
    })
  })
})
