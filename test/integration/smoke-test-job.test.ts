/**
 * The --smoke-test's job step against the BUILT job entry (out/main/backup-job.js, what Electron runs as a
 * utility process) forked by the real Node adapter: it answers `ping` with `pong` and exits 0. The window,
 * page and tray are FAKES of Electron here (they cannot run without the Electron binary).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok } from '../../shared/result.ts'
import { runtimeVersions } from '../../shared/versions.ts'
import { JOB_V8_FLAGS, forkNodeJobChild } from '../../electron/engine/jobs/node-job-child.ts'
import { JOB_ENTRY_FILE } from '../../electron/main/jobs/utility-process.ts'
import { pingJob, runSmokeTest } from '../../electron/main/smoke-test.ts'
import { ROOT } from '../harness/cli.ts'

const JOB_ENTRY = join(ROOT, 'out', 'main', JOB_ENTRY_FILE)
const fork = () =>
  forkNodeJobChild(JOB_ENTRY, { detached: false, execArgv: [...JOB_V8_FLAGS], output: 'pipe' })

describe('smoke test: a real job process', () => {
  it('answers ping with pong (its own pid and Node) and exits 0', async () => {
    if (!existsSync(JOB_ENTRY)) throw new Error('the job entry is not built: run `npm run build` first')
    const child = fork()
    const pong = await pingJob(child, 'ping-1')
    expect(pong).toMatchObject({ type: 'pong', jobId: 'ping-1', node: process.versions.node })
    expect(pong.pid).toBe(child.pid)
    expect(pong.pid).not.toBe(process.pid)
  })

  it('passes the whole smoke test with it (window, page and tray are fakes)', async () => {
    const report = await runSmokeTest({
      appVersion: '1.2.3',
      versions: runtimeVersions(process.versions),
      openWindow: async () => {},
      runInPage: async () =>
        ok({ name: 'n', version: '1.2.3', platform: 'linux', versions: {}, programs: [] }),
      forkJob: fork,
      createTray: () => true,
    })
    expect(report).toMatchObject({ ok: true, job: { ok: true, detail: { node: process.versions.node } } })
  })
})
