/**
 * The Settings page against the real settings handler: theme and language apply at once and are saved;
 * the defaults are checked inline and saved with Save settings.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Settings } from '../../shared/ipc.ts'
import { withApp } from './harness/with-app.ts'

const savedSettings = (calls: { channel: string; request: unknown }[]): Settings[] =>
  calls
    .filter(({ channel }) => channel === 'settings:update')
    .map(({ request }) => (request as { settings: Settings }).settings)

describe('settings page', () => {
  it('applies and saves the theme, the language and the backup defaults', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        const nav = page.getByRole('navigation', { name: 'Main' })
        await nav.getByRole('button', { name: 'Settings' }).click()
        await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
        await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('light')

        await page.getByRole('radio', { name: 'Dark' }).check()
        await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark')
        await expect.poll(() => savedSettings(ipcCalls).at(-1)?.theme).toBe('dark')

        // Defaults: an empty output folder is refused inline, a real one is saved.
        const output = page.getByLabel('Output folder', { exact: true })
        await output.fill('')
        expect(await page.getByText('Enter the folder the backup files go to.').isVisible()).toBe(true)
        expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true)
        await output.fill('/srv/backups')
        await page.getByLabel('Default compression type').selectOption('xz')
        expect(await page.getByLabel('Compression level').inputValue()).toBe('6')
        // Start at login is saved with the form (the main process applies it: scheduler/login-item.ts).
        await page.getByLabel('Start at login, hidden in the tray').check()
        await page.getByRole('button', { name: 'Save settings' }).click()
        await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
        expect(savedSettings(ipcCalls).at(-1)).toMatchObject({
          theme: 'dark',
          startAtLogin: true,
          defaults: { outputDir: '/srv/backups', compression: { type: 'xz', level: 6 } },
        })
        await screenshot('renderer-settings-dark')

        await page.getByLabel('Language').selectOption('id')
        await nav.getByRole('button', { name: 'Dasbor' }).waitFor()
        expect(await page.evaluate('document.documentElement.lang')).toBe('id')
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pengaturan')
        await expect.poll(() => savedSettings(ipcCalls).at(-1)?.language).toBe('id')
        // The saved defaults survived the appearance change.
        expect(savedSettings(ipcCalls).at(-1)?.defaults.outputDir).toBe('/srv/backups')
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-settings-failure' },
    )
  })

  it("shows the command line's config file as the app applies it, and a broken file with its error", async () => {
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot }) => {
        const file = join(configDir, 'sfDBTools_config.yaml')
        await writeFile(
          file,
          [
            'backup:',
            '  dump:',
            '    lock_wait_timeout: 45',
            '  output:',
            '    file_permissions: "0640"',
            '    structure:',
            '      pattern: "{date}/"',
            '',
          ].join('\n'),
        )
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
        const card = page.getByRole('region', { name: 'Shared with the command line' })
        await card.getByText('(in use)').waitFor()
        expect(await card.getByText(file, { exact: true }).isVisible()).toBe(true)
        const facts = card.getByRole('definition')
        expect(await facts.allTextContents()).toEqual([
          '45 s',
          '{date}/',
          '0640 / 0600',
          'none',
          'dbsf_nbc_',
          join(configDir, 'database_profile'),
          join(configDir, 'logs'),
          'the built-in loader',
        ])
        await card.scrollIntoViewIfNeeded()
        await screenshot('renderer-settings-shared-config')

        // A broken file: Read again shows the error that refuses backups, naming the file.
        await writeFile(file, 'backup:\n  dump:\n    lock_wait_timeout: [never\n')
        await card.getByRole('button', { name: 'Read again' }).click()
        const alert = card.getByRole('alert')
        await alert.waitFor()
        expect(await alert.textContent()).toContain('backups are refused until it is fixed')
        expect(await alert.textContent()).toContain(file)
        expect(await card.getByRole('definition').count()).toBe(0)

        await page.getByLabel('Language').selectOption('id')
        await page.getByRole('region', { name: 'Dipakai bersama baris perintah' }).waitFor()
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-settings-shared-config-failure' },
    )
  })
})
