import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'
import { SummaryLineReporter } from './test/reporters/summary-line.ts'

/**
 * Every temporary file of a run — the tests', the CLI's and job processes', the servers' — goes to one
 * private folder (TMPDIR, inherited by every worker and child), removed when the run ends: a run leaves
 * nothing behind in the system's temp folder, also when a test forgot to clean up or was killed.
 */
const RUN_TMP = mkdtempSync(join(tmpdir(), 'sfdb-run-'))
process.env.TMPDIR = RUN_TMP
process.once('exit', () => rmSync(RUN_TMP, { recursive: true, force: true }))

/**
 * The private mariadbd is set up by the projects that use it (integration, e2e) and only when they have
 * tests to run: `vitest run --project unit` starts no server. The two projects share one server per run
 * (see test/harness/global-setup.ts).
 */
const WITH_MARIADB = ['test/harness/global-setup.ts']

export default defineConfig({
  test: {
    reporters: ['default', new SummaryLineReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A timeout catches a hang; it is not a speed test. A busy 2-core machine runs some codec and
          // process tests several times slower than an idle one.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: WITH_MARIADB,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll gives up after 1 s by default: too soon for a page or a job on a busy machine.
          expect: { poll: { timeout: 30_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: WITH_MARIADB,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 30_000 } },
          fileParallelism: false,
        },
      },
      {
        test: {
          // The packed app (`npm run package:check`, docs/packaging.md): electron-builder's own layout, then
          // the packed CLI and job entry against the private server.
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          environment: 'node',
          globalSetup: WITH_MARIADB,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
