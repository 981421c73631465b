/**
 * The window at 1024×700, in both languages: History's and a result's action buttons stay inside the
 * window (element boxes measured, not pixels), the page does not scroll sideways, and a long file name
 * breaks only at its separators. History entries and a job's result come from handlers standing in for the
 * folders (their layout is what is measured).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { HistoryEntry } from '../../shared/ipc.ts'
import { ok } from '../../shared/result.ts'
import { withApp } from './harness/with-app.ts'

const LONG = 'dbsf_nbc_pt_sumber_makmur_sejahtera_abadi'
const entry = (n: number): HistoryEntry => ({
  metaPath: `/srv/backups/${LONG}_${n}.meta.json`,
  backupFile: `/srv/backups/${LONG}_${n}_20261203_120000_CHG-2041.sql.zst.enc`,
  fileName: `${LONG}_${n}_20261203_120000_CHG-2041.sql.zst.enc`,
  source: 'ours',
  databases: [`${LONG}_${n}`],
  type: 'separated',
  status: 'success',
  startedAt: '2026-12-03T12:00:00.000Z',
  durationMs: 93_000,
  host: 'db1.example.internal',
  hostname: 'db1',
  ticket: 'CHG-2041',
  sizeBytes: 4_812_000_000,
  sha256: 'ab'.repeat(32),
  compression: { type: 'zstd', level: 3 },
  encrypted: true,
  gtid: null,
  binlog: null,
  fileExists: true,
  companions: [],
  profile: 'production-primary',
})

/**
 * Every button of `scope` is fully visible: inside the window and inside whatever clips it (a table's
 * scrolling wrapper), none of which needs scrolling sideways (run in the page).
 */
const fits = (page: Page, scope: string): Promise<string[]> =>
  page.evaluate(`(() => {
    const out = []
    const width = window.innerWidth
    if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth + ' > ' + width)
    for (const wrap of document.querySelectorAll(${JSON.stringify(scope)} + ' .table-wrap'))
      if (wrap.scrollWidth > wrap.clientWidth + 1) out.push('table ' + wrap.scrollWidth + ' > ' + wrap.clientWidth)
    for (const button of document.querySelectorAll(${JSON.stringify(scope)} + ' button')) {
      const box = button.getBoundingClientRect()
      if (box.width === 0) continue
      let right = width
      for (let el = button.parentElement; el !== null; el = el.parentElement) {
        const style = getComputedStyle(el)
        if (style.overflowX !== 'visible') right = Math.min(right, el.getBoundingClientRect().left + el.clientWidth)
      }
      if (box.right > right + 0.5) out.push(button.textContent + ' ends at ' + box.right + ' > ' + right)
    }
    return out
  })()`)

/** The character before each line break of the first file name in the History table (run in the page). */
const LINE_ENDS = `(() => {
  const name = document.querySelector('.cell-file .block.mono')
  const text = name.textContent
  const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT)
  const chars = []
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode())
    for (let i = 0; i < node.length; i++) chars.push([node, i])
  const range = document.createRange()
  const ends = []
  let top = -1
  chars.forEach(([node, i], k) => {
    range.setStart(node, i)
    range.setEnd(node, i + 1)
    const y = range.getBoundingClientRect().top
    if (top !== -1 && y > top + 2) ends.push(text[k - 1])
    top = y
  })
  return ends
})()`

describe('layout at 1024×700 and wider', () => {
  for (const language of ['en', 'id'] as const) {
    it(`History's buttons fit and file names break at separators (${language})`, async () => {
      await withApp(
        async ({ page, consoleErrors, screenshot }) => {
          if (language === 'id') {
            await page.evaluate(async () => {
              const sfdb = (
                globalThis as unknown as {
                  sfdb: { invoke(c: string, r: unknown): Promise<{ value: object }> }
                }
              ).sfdb
              const current = await sfdb.invoke('settings:get', {})
              await sfdb.invoke('settings:update', { settings: { ...current.value, language: 'id' } })
            })
            await page.reload()
          }
          await page.getByRole('navigation').getByRole('button').nth(4).click()
          await page.locator('table.table tbody tr').first().waitFor()
          expect(await fits(page, 'main')).toEqual([])
          // Each line of a file name ends at a separator: no "….sql.z" / "st".
          const lines = await page.evaluate<string[]>(LINE_ENDS)
          expect(lines.length).toBeGreaterThan(0)
          await screenshot(`layout-history-1024-${language}`)
          for (const end of lines) expect('_.-/\\').toContain(end)
          expect(consoleErrors).toEqual([])
        },
        {
          name: `layout-history-${language}-failure`,
          viewport: { width: 1024, height: 700 },
          handlers: { 'history:list': () => ok({ entries: [entry(1), entry(2)], problems: [] }) },
        },
      )
    })
  }

  for (const language of ['en', 'id'] as const) {
    it(`a result's Show in folder and Verify fit (${language})`, async () => {
      await withApp(
        async ({ page, consoleErrors, emitJobEvent, screenshot }) => {
          if (language === 'id') {
            await page.evaluate(`(async () => {
              const current = await sfdb.invoke('settings:get', {})
              await sfdb.invoke('settings:update', { settings: { ...current.value, language: 'id' } })
            })()`)
            await page.reload()
          }
          await page.getByRole('navigation').getByRole('button').nth(3).click()
          const target = (n: number) => ({
            databases: [`${LONG}_${n}`],
            status: 'success' as const,
            file: `/srv/backups/${LONG}_${n}_20261203_120000_CHG-2041.sql.zst.enc`,
            bytes: 4_812_000_000,
            sqlBytes: 19_000_000_000,
            sha256: 'ab'.repeat(32),
            durationMs: 93_000,
            warnings: [],
            error: null,
          })
          await emitJobEvent({
            type: 'done',
            jobId: 'job-layout',
            result: {
              ok: true,
              mode: 'filter',
              ticket: 'CHG-2041',
              startedAt: '2026-12-03T12:00:00.000Z',
              finishedAt: '2026-12-03T12:03:06.000Z',
              durationMs: 186_000,
              targets: [target(1), target(2)],
            },
          })
          await page.locator('.result-card table tbody tr').first().waitFor()
          expect(await fits(page, 'main')).toEqual([])
          await screenshot(`layout-result-1024-${language}`)
          expect(consoleErrors).toEqual([])
        },
        { name: `layout-result-${language}-failure`, viewport: { width: 1024, height: 700 } },
      )
    })
  }

  /**
   * Texts a <select> would cut off: the widest option's text (in the select's own font) against the room
   * the select gives it (its width less padding and the arrow); run in the page.
   */
  const CUT_SELECTS = `(() => {
    const ctx = document.createElement('canvas').getContext('2d')
    const out = []
    for (const select of document.querySelectorAll('main select')) {
      const style = getComputedStyle(select)
      ctx.font = style.font
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      for (const option of select.options) {
        const need = ctx.measureText(option.text).width
        if (need > room + 0.5) out.push(option.text + ': ' + Math.ceil(need) + ' > ' + Math.floor(room))
      }
    }
    return out
  })()`
  /**
   * Headers of numeric columns whose label does not end where the column's numbers end (the right edges of
   * the texts, measured; run in the page).
   */
  const MISALIGNED = `(() => {
    const out = []
    const textRight = (el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
      let right = null
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node.textContent.trim() === '' || node.parentElement.closest('[aria-hidden="true"]')) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        const r = range.getBoundingClientRect().right
        right = right === null ? r : Math.max(right, r)
      }
      return right
    }
    for (const table of document.querySelectorAll('main table')) {
      const head = table.tHead?.rows[0]
      const body = table.tBodies[0]?.rows[0]
      if (!head || !body || head.cells.length !== body.cells.length) continue
      Array.from(body.cells).forEach((cell, i) => {
        const th = head.cells[i]
        if (!th || !cell.classList.contains('num')) return
        const a = textRight(th), b = textRight(cell)
        if (a !== null && b !== null && Math.abs(a - b) > 2)
          out.push((th.textContent || '?') + ': label ends at ' + Math.round(a) + ', numbers at ' + Math.round(b))
      })
    }
    return out
  })()`

  for (const [language, width, height] of [
    ['en', 1024, 700],
    ['id', 1024, 700],
    ['en', 1280, 800],
    ['id', 1600, 1000],
  ] as const) {
    it(`every page fits, selects show their whole text, numeric headers align (${language}, ${width}×${height})`, async () => {
      await withApp(
        async ({ page, consoleErrors, screenshot }) => {
          if (language === 'id') {
            await page.evaluate(`(async () => {
              const current = await sfdb.invoke('settings:get', {})
              await sfdb.invoke('settings:update', { settings: { ...current.value, language: 'id' } })
            })()`)
            await page.reload()
          }
          // One profile: the Profiles page then has its list beside the form (the narrow column).
          const made = await page.evaluate(
            `window.sfdb.invoke('profiles:create', { profile: { name: 'production-primary', host: 'db1.example.internal', port: 3306, user: 'backup' } })`,
          )
          expect(made).toMatchObject({ ok: true })
          await page.reload()
          const nav = page.getByRole('navigation').getByRole('button')
          const problems: Record<string, string[]> = {}
          const check = async (name: string): Promise<void> => {
            const found = [
              ...(await fits(page, 'main')),
              ...(await page.evaluate<string[]>(CUT_SELECTS)),
              ...(await page.evaluate<string[]>(MISALIGNED)),
            ]
            if (found.length > 0) problems[name] = found
          }
          await page.locator('main h1').waitFor()
          await check('dashboard')
          // Profiles, with the new-profile form open (its TLS mode select).
          await nav.nth(1).click()
          await page.locator('main h1').waitFor()
          await page.locator('main .page-header button').first().click()
          await page.locator('main form').first().waitFor()
          await check('profiles')
          await screenshot(`layout-profiles-${width}-${language}`)
          for (const [index, name] of [
            [2, 'new backup'],
            [3, 'jobs'],
            [4, 'history'],
            [5, 'settings'],
          ] as const) {
            await nav.nth(index).click()
            await page.locator('main h1').waitFor()
            if (name === 'history') await page.locator('main table tbody tr').first().waitFor()
            await check(name)
          }
          // The wizard's database table (numeric, sortable columns).
          await nav.nth(2).click()
          const next = page.locator('.wizard-actions .button-primary')
          await next.click()
          await next.click()
          await page.locator('.database-table tbody tr').first().waitFor()
          await check('new backup: databases')
          await screenshot(`layout-settings-${width}-${language}`)
          expect(problems).toEqual({})
          expect(consoleErrors).toEqual([])
        },
        {
          name: `layout-pages-${language}-${width}-failure`,
          viewport: { width, height },
          env: { SFDB_PROFILE_KEY: 'layout profile key' },
          handlers: {
            'history:list': () => ok({ entries: [entry(1)], problems: [] }),
            'servers:databases': () =>
              ok({
                server: { hostname: 'db1', flavor: 'mariadb', version: '10.11.19-MariaDB' },
                databases: [1, 2, 3].map((n) => ({
                  name: `${LONG}_${n}`,
                  sizeBytes: 4_812_000_000 * n,
                  tables: 120 * n,
                  rows: 45_980_000 * n,
                  system: false,
                })),
              }),
          },
        },
      )
    })
  }
})
