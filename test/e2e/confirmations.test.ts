/**
 * What the app asks before it does something a DBA would regret, and how a key is entered. Real parts: the
 * renderer in Chromium, the real handlers, a real gnome-keyring for the keys.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { BackupRequestInput, Settings } from '../../shared/ipc.ts'
import { useKeyring } from '../harness/keyring.ts'
import { backupRequest } from '../harness/backup-request.ts'
import { withApp } from './harness/with-app.ts'

const nav = (page: Page, section: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section }).click()

describe('confirmations and key entry', () => {
  useKeyring()

  it('a key is typed twice, can be shown, gets a strength hint; removing it asks and says what stops working', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        await nav(page, 'Profiles')
        const key = page.getByLabel('Default backup key', { exact: true })
        const again = page.getByLabel('Default backup key (again)')
        const block = page.locator('.key-block').filter({ has: key })
        await key.fill('short1')
        expect(await block.textContent()).toContain('Weak: use 16 or more characters')
        await key.fill('four words of passphrase')
        expect(await block.textContent()).toContain('Strong.')
        expect(await key.getAttribute('type')).toBe('password')
        await block.getByLabel('Show the key').check()
        expect(await key.getAttribute('type')).toBe('text')
        expect(await again.getAttribute('type')).toBe('text')
        await again.fill('four words of passphrasE')
        await page.getByRole('button', { name: 'Store default backup key' }).click()
        await block.getByRole('alert').filter({ hasText: 'The two entries differ' }).waitFor()
        expect(ipcCalls.some((c) => c.channel === 'keys:set')).toBe(false)
        await again.fill('four words of passphrase')
        await page.getByRole('button', { name: 'Store default backup key' }).click()
        await block.getByRole('status').filter({ hasText: 'The key is stored in the keychain.' }).waitFor()
        expect(await key.inputValue()).toBe('')
        await screenshot('renderer-key-entry')

        // Removing asks, naming what stops working; Cancel keeps the key.
        await page.getByRole('button', { name: 'Remove default backup key' }).click()
        const ask = page.getByRole('dialog', { name: 'Remove the default backup key from the keychain?' })
        expect(await ask.textContent()).toContain('cannot start')
        await ask.getByRole('button', { name: 'Cancel' }).click()
        expect(ipcCalls.some((c) => c.channel === 'keys:delete')).toBe(false)
        await page.getByRole('button', { name: 'Remove default backup key' }).click()
        await ask.getByRole('button', { name: 'Remove key' }).click()
        await block.getByText('No key stored').waitFor()
        // No contradiction: the old "stored" message is gone with the key.
        expect(await block.textContent()).not.toContain('The key is stored')
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-key-entry-failure' },
    )
  })

  it('removing a quick backup asks; leaving Settings with unsaved changes asks (Stay keeps them)', async () => {
    await withApp(async ({ page, ipcCalls, consoleErrors, emitAppEvent }) => {
      const request = backupRequest({ outputDir: '/srv/backups', ticket: 'NIGHTLY' })
      const saved = await page.evaluate(async (r) => {
        const sfdb = (globalThis as unknown as { sfdb: { invoke(c: string, q: unknown): Promise<unknown> } })
          .sfdb
        const current = (await sfdb.invoke('settings:get', {})) as { value: Settings }
        return sfdb.invoke('settings:update', {
          settings: { ...current.value, presets: [{ id: 'p1', label: 'Shop nightly', request: r }] },
        })
      }, request)
      expect(saved).toMatchObject({ ok: true })
      await page.reload()

      // The tray's choice (main pushes 'run-preset') opens the dashboard with the same question.
      await nav(page, 'Jobs')
      await emitAppEvent({ type: 'run-preset', presetId: 'p1' })
      const fromTray = page.getByRole('dialog', { name: 'Ticket for “Shop nightly”' })
      await fromTray.waitFor()
      expect(await page.getByRole('heading', { name: 'Dashboard', level: 1 }).count()).toBe(1)
      await fromTray.getByRole('button', { name: 'Cancel' }).click()
      await expect.poll(() => fromTray.count()).toBe(0)

      // A run asks for its ticket, offering the last one; Escape starts nothing, Enter runs with the one typed.
      await page.getByRole('button', { name: 'Run Shop nightly' }).click()
      const ticketAsk = page.getByRole('dialog', { name: 'Ticket for “Shop nightly”' })
      const ticket = ticketAsk.getByLabel('Ticket')
      expect(await ticket.inputValue()).toBe('NIGHTLY')
      await page.keyboard.press('Escape')
      await expect.poll(() => ticketAsk.count()).toBe(0)
      expect(ipcCalls.some((c) => c.channel === 'backups:start')).toBe(false)
      await page.getByRole('button', { name: 'Run Shop nightly' }).click()
      // Focus is in the dialog's first field: the ticket can be typed at once.
      await expect
        .poll(() =>
          page.evaluate(
            `document.activeElement?.closest('dialog') !== null && document.activeElement?.tagName`,
          ),
        )
        .toBe('INPUT')
      await ticket.fill('')
      expect(await ticketAsk.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true)
      await ticket.fill('CHG-42')
      await ticket.press('Enter')
      await expect.poll(() => ipcCalls.filter((c) => c.channel === 'backups:start').length).toBe(1)
      const started = ipcCalls.find((c) => c.channel === 'backups:start')?.request as {
        request: BackupRequestInput
      }
      expect(started.request).toEqual({ ...request, ticket: 'CHG-42' })

      await page.getByRole('button', { name: 'Remove quick backup Shop nightly' }).click()
      const ask = page.getByRole('dialog', { name: 'Remove the quick backup “Shop nightly”?' })
      await ask.getByRole('button', { name: 'Cancel' }).click()
      expect(await page.getByRole('button', { name: 'Run Shop nightly' }).count()).toBe(1)
      await page.getByRole('button', { name: 'Remove quick backup Shop nightly' }).click()
      await ask.getByRole('button', { name: 'Remove quick backup' }).click()
      await expect.poll(() => page.getByRole('button', { name: 'Run Shop nightly' }).count()).toBe(0)

      await nav(page, 'Settings')
      const output = page.getByLabel('Output folder', { exact: true })
      const before = await output.inputValue()
      await output.fill('/srv/elsewhere')
      await nav(page, 'Jobs')
      const leave = page.getByRole('dialog', { name: 'Leave Settings without saving?' })
      await leave.getByRole('button', { name: 'Stay' }).click()
      expect(await output.inputValue()).toBe('/srv/elsewhere')
      await nav(page, 'Jobs')
      await leave.getByRole('button', { name: 'Leave without saving' }).click()
      await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
      await nav(page, 'Settings')
      expect(await page.getByLabel('Output folder', { exact: true }).inputValue()).toBe(before)
      // Nothing was saved on the way (the updates are the seed and the preset's removal), and an
      // unchanged page leaves without asking.
      const updates = ipcCalls
        .filter((c) => c.channel === 'settings:update')
        .map((c) => (c.request as { settings: Settings }).settings)
      expect(updates).toHaveLength(2)
      expect(updates[1]?.presets).toEqual([])
      expect(updates[1]?.defaults.outputDir).toBe(before)
      await nav(page, 'Jobs')
      await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
      expect(consoleErrors).toEqual([])
    })
  })
})
