/**
 * The About section (Settings): the app's version, the main process's Electron, Chromium and Node versions
 * and the MariaDB/MySQL programs it finds — what the real 'app:info' handler answers, here on plain Node
 * with this machine's real mariadb-dump and mariadb. In English and Bahasa Indonesia.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok } from '../../shared/result.ts'
import { runtimeVersions } from '../../shared/versions.ts'
import { parseClientVersion, which } from '../../electron/engine/dump/client-program.ts'
import { detectPrograms } from '../../electron/engine/dump/detect-programs.ts'
import { readPackageJson } from './harness/node-platform.ts'
import { withApp } from './harness/with-app.ts'

const pkg = readPackageJson()

function installed(name: string): { path: string; version: string } {
  const path = which(name, process.env.PATH ?? '')
  if (path === null) throw new Error(`${name} is not installed: scripts/setup.sh installs mariadb-client`)
  return {
    path,
    version: parseClientVersion(execFileSync(path, ['--version'], { encoding: 'utf8' })).version,
  }
}

describe('About', () => {
  it('shows the app, runtime and program versions from app:info', async () => {
    const dump = installed('mariadb-dump')
    const client = installed('mariadb')
    await withApp(
      async ({ page, consoleErrors, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
        const about = page.getByRole('region', { name: 'About sfDBTools Desktop' })
        await about.scrollIntoViewIfNeeded()
        const fact = (id: string) => about.getByTestId(id)
        await expect.poll(() => fact('about-version').textContent()).toBe(pkg.version)
        expect(await fact('about-node').textContent()).toBe(process.versions.node)
        // The handlers run on plain Node in this test: the main process has no Electron or Chromium.
        expect(await fact('about-electron').textContent()).toBe('not in use')
        expect(await fact('about-chromium').textContent()).toBe('not in use')
        expect(await fact('about-program-dump').textContent()).toBe(
          `${dump.version} (MariaDB) — ${dump.path}`,
        )
        expect(await fact('about-program-client').textContent()).toBe(
          `${client.version} (MariaDB) — ${client.path}`,
        )
        // The same facts under their labels, for a screen reader.
        const labels = await about.locator('dt').allTextContents()
        expect(labels).toEqual(['Version', 'Electron', 'Chromium', 'Node.js', 'Dump program', 'SQL client'])

        // Also in Bahasa Indonesia.
        await page.getByLabel('Language').selectOption('id')
        const tentang = page.getByRole('region', { name: 'Tentang sfDBTools Desktop' })
        await expect
          .poll(() => tentang.locator('dt').allTextContents())
          .toEqual(['Versi', 'Electron', 'Chromium', 'Node.js', 'Program dump', 'Klien SQL'])
        expect(await tentang.getByTestId('about-electron').textContent()).toBe('tidak dipakai')
        await page.getByLabel('Bahasa', { exact: true }).selectOption('en')
        await about.waitFor()
        await about.scrollIntoViewIfNeeded()
        await screenshot('renderer-settings-about')
        expect(consoleErrors).toEqual([])
      },
      { name: 'about-failure' },
    )
  })

  it('says which programs it did not find', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sfdb-e2e-path-'))
    // The real detection on a PATH without the programs, answered through the real dispatcher.
    const answer = async () =>
      ok({
        name: 'sfDBTools Desktop',
        version: pkg.version,
        platform: process.platform,
        versions: runtimeVersions(process.versions),
        programs: await detectPrograms(empty),
      })
    await withApp(
      async ({ page }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
        const about = page.getByRole('region', { name: 'About sfDBTools Desktop' })
        await expect
          .poll(() => about.getByTestId('about-program-dump').textContent())
          .toBe('Not found (neither mariadb-dump nor mysqldump is on the PATH)')
        expect(await about.getByTestId('about-program-client').textContent()).toBe(
          'Not found (neither mariadb nor mysql is on the PATH)',
        )
        expect(
          await page.evaluate(
            "window.sfdb.invoke('app:info', {}).then((r) => r.value.programs.map((p) => p.path))",
          ),
        ).toEqual([null, null])
      },
      { handlers: { 'app:info': answer }, name: 'about-not-found' },
    )
  })
})
