import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints the plain closing line `N passed, N failed` that CI reads, after vitest's own summary.
 * Skipped tests are counted separately so that a skip can never pass for a pass.
 */
export class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const mod of testModules) {
      // A file that failed without a failed test (an import error, a failing beforeAll that left its
      // tests unrun) is one failure: its tests must never count as merely skipped.
      const tests = [...mod.children.allTests()]
      if (mod.state() === 'failed' && !tests.some((t) => t.result().state === 'failed')) failed++
      for (const test of tests) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
    }
    const line = `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '')
    process.stdout.write(`\n${line}\n`)
  }
}
