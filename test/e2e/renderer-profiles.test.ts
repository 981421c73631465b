/**
 * The Profiles page against the real profile handlers: create with inline validation, the stored password
 * shown as "stored" and never sent back, delete after a confirmation. The profile key comes from the
 * environment, as on a machine without a keychain.
 */
import { describe, expect, it } from 'vitest'
import { withApp } from './harness/with-app.ts'

const ENV = { SFDB_PROFILE_KEY: 'e2e-profile-key-0123456789' }

describe('profiles page', () => {
  it('creates, edits and deletes a profile through the form', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Profiles' }).click()
        await page.getByRole('button', { name: 'New profile' }).click()
        const form = page.getByRole('form', { name: 'New profile' })

        // Nothing is sent while required fields are empty; each says what to enter.
        await form.getByLabel('Host').fill('')
        await form.getByRole('button', { name: 'Save profile' }).click()
        expect(await form.getByText('Enter a name for the profile.').isVisible()).toBe(true)
        expect(await form.getByText('Enter the server’s host name or address.').isVisible()).toBe(true)
        expect(await form.getByLabel('Profile name').getAttribute('aria-invalid')).toBe('true')
        await form.getByLabel('Port', { exact: true }).fill('70000')
        expect(await form.getByText('Enter a port from 1 to 65535.').isVisible()).toBe(true)
        expect(ipcCalls.some(({ channel }) => channel === 'profiles:create')).toBe(false)

        await form.getByLabel('Profile name').fill('e2e-prod')
        await form.getByLabel('Host').fill('db1.example.invalid')
        await form.getByLabel('Port', { exact: true }).fill('3307')
        await form.getByLabel('User').fill('backup')
        await form.getByLabel('Password', { exact: true }).fill('s3cret-pw')
        await form.getByRole('button', { name: 'Save profile' }).click()

        const details = page.getByRole('region', { name: 'Profile e2e-prod' })
        await details.waitFor()
        expect(await details.textContent()).toContain('db1.example.invalid:3307')
        const row = page.getByRole('row', { name: /e2e-prod/ })
        // The columns say what each state is about: the profile file opens; no connection test yet.
        expect(await row.getByText('Opens').isVisible()).toBe(true)
        expect(await row.getByText('Not tested').isVisible()).toBe(true)
        const headers = await page
          .getByRole('table', { name: 'Connection profiles' })
          .getByRole('columnheader')
          .allTextContents()
        expect(headers).toEqual(expect.arrayContaining(['Profile file', 'Last connection test']))

        // Editing never shows the password back: the field is empty and says it is stored.
        await details.getByRole('button', { name: 'Edit' }).click()
        const edit = page.getByRole('form', { name: 'Edit e2e-prod' })
        expect(await edit.getByLabel('Password', { exact: true }).inputValue()).toBe('')
        expect(await edit.getByLabel('Password', { exact: true }).getAttribute('placeholder')).toBe('stored')
        await edit.getByLabel('Port', { exact: true }).fill('3308')
        await edit.getByRole('button', { name: 'Save profile' }).click()
        await expect.poll(() => details.textContent()).toContain('db1.example.invalid:3308')
        const update = ipcCalls.find(({ channel }) => channel === 'profiles:update')
        expect(update?.request).toMatchObject({ name: 'e2e-prod', profile: { port: 3308 } })
        expect((update?.request as { profile: Record<string, unknown> }).profile['password']).toBeUndefined()
        for (const call of ipcCalls) expect(JSON.stringify(call.result)).not.toContain('s3cret-pw')
        await screenshot('renderer-profiles')

        await details.getByRole('button', { name: 'Delete' }).click()
        const dialog = page.getByRole('dialog', { name: 'Delete profile e2e-prod?' })
        await dialog.getByRole('button', { name: 'Delete' }).click()
        await expect.poll(() => page.getByRole('row', { name: /e2e-prod/ }).count()).toBe(0)
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-profiles-failure' },
    )
  })
})
