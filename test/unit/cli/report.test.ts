import { describe, expect, it } from 'vitest'
import type { BackupProgress } from '../../../shared/backup-types.ts'
import { ProgressPrinter } from '../../../electron/cli/report.ts'

const progress = (over: Partial<BackupProgress> = {}): BackupProgress => ({
  targetIndex: 1,
  targetCount: 3,
  database: 'app_x',
  table: 'orders',
  tablesDone: 2,
  tablesTotal: 4,
  sqlBytes: 50_000_000,
  outBytes: 12_000_000,
  estimatedBytes: 100_000_000,
  fraction: 0.5,
  bytesPerSecond: 25_000_000,
  etaSeconds: 2,
  elapsedMs: 2000,
  final: false,
  ...over,
})

describe('progress lines', () => {
  it('name the file being written, the percent, the rate, the ETA and the table', () => {
    const line = ProgressPrinter.describe(progress())
    expect(line).toMatch(/^\[2\/3\] 50\.0% .* @ .*\/s ETA .* app_x\.orders$/)
    expect(line).not.toContain('█')
  })

  it('say which table the dump waits for, who holds its lock and for how long, instead of a rate and an ETA', () => {
    const waiting = progress({
      lockWait: {
        database: 'app_x',
        table: 'orders',
        holder: { id: 42, user: 'app', host: '10.0.0.5:51234' },
        seconds: 42,
      },
    })
    const line = ProgressPrinter.describe(waiting)
    expect(line).toBe(
      '[2/3] waiting for a metadata lock on `app_x`.`orders` held by connection 42 (app@10.0.0.5:51234) for 42 s',
    )
    const unknown = ProgressPrinter.describe(progress({ lockWait: { ...waiting.lockWait!, holder: null } }))
    expect(unknown).toContain('held by another session for 42 s')
  })

  it('say "stalled for N s" instead of a stale rate and ETA when no SQL arrives', () => {
    const line = ProgressPrinter.describe(
      progress({ stalledSeconds: 70, bytesPerSecond: 0, etaSeconds: null }),
    )
    expect(line).toMatch(/^\[2\/3\] 50\.0% .* SQL → .* stalled for 70 s app_x\.orders$/)
    expect(line).not.toContain(' @ ')
    expect(line).not.toContain('ETA')
  })

  it('draw a bar on a terminal, full at the end', () => {
    expect(ProgressPrinter.describe(progress(), true)).toContain(`${'█'.repeat(10)}${'░'.repeat(10)} 50.0%`)
    const done = ProgressPrinter.describe(progress({ fraction: 1, final: true, targetCount: 1 }), true)
    expect(done).toMatch(/^█{20} 100% /)
    expect(done).not.toContain('ETA')
  })
})
