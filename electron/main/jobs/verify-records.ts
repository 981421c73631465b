/**
 * The app's verifications of backups, kept across restarts: `<config>/jobs/verifications.jsonl`, one JSON
 * line per verify job that ended with an answer about its file (passed, or failed with why). A cancelled
 * verify says nothing about the file and is not kept. The History shows each file's last one.
 *
 * Kept beside the job history (job-journal.ts) rather than in it: a verify is no backup or restore job, and
 * the Jobs page and the Dashboard read that journal as such. Same format and rules: 0600 in a 0700 folder,
 * appended one line at a time (a torn last line after a crash is skipped), rewritten with the newest
 * VERIFY_KEEP records when it holds VERIFY_SLACK more.
 */
import { appendFile, chmod, mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { LastVerification } from '../../../shared/ipc.ts'
import { errno } from '../../engine/errors.ts'
import { writeFileAtomic } from '../../engine/fs/atomic-write.ts'
import type { VerifyOutcome } from '../../engine/jobs/supervise-job.ts'

export const VERIFY_KEEP = 2000
const VERIFY_SLACK = 200

export interface VerifyRecord extends LastVerification {
  jobId: string
  file: string
}

/** Beside the job history's journal (job-journal.ts `journalDir`). */
const recordsDir = (configDir: string): string => join(configDir, 'jobs')
const recordsFile = (configDir: string): string => join(recordsDir(configDir), 'verifications.jsonl')

/** The record of a verify job's outcome, or null for one that says nothing about the file (cancelled). */
export function verifyRecord(
  jobId: string,
  file: string,
  outcome: VerifyOutcome,
  at: string,
): VerifyRecord | null {
  if (outcome.kind === 'cancelled') return null
  if (outcome.kind === 'failed')
    return outcome.error.code === 'Cancelled'
      ? null
      : { jobId, file: resolve(file), at, ok: false, error: outcome.error }
  const { report } = outcome
  return { jobId, file: resolve(file), at, ok: report.ok, error: report.ok ? null : report.error }
}

/** Every record, oldest first; a line that does not parse is skipped. */
export async function readVerifyRecords(configDir: string): Promise<VerifyRecord[]> {
  let text: string
  try {
    text = await readFile(recordsFile(configDir), 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return []
    throw e
  }
  const records: VerifyRecord[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const r = JSON.parse(line) as VerifyRecord
      if (typeof r.file === 'string' && typeof r.at === 'string' && typeof r.ok === 'boolean')
        records.push({ jobId: String(r.jobId), file: r.file, at: r.at, ok: r.ok, error: r.error ?? null })
    } catch {
      // A torn last line: that one verification is lost, not the others.
    }
  }
  return records
}

/** The last verification of each file, by its absolute path. */
export async function lastVerifications(configDir: string): Promise<Map<string, LastVerification>> {
  const last = new Map<string, LastVerification>()
  for (const r of await readVerifyRecords(configDir)) {
    const known = last.get(r.file)
    if (known === undefined || known.at <= r.at) last.set(r.file, { at: r.at, ok: r.ok, error: r.error })
  }
  return last
}

export interface VerifyRecorder {
  /** A verify job ended: its record is written (settles when it is on disk; never throws). */
  record(jobId: string, file: string, outcome: VerifyOutcome, at: string): Promise<void>
}

/** Writes the verifications of `configDir`, one at a time in the order the jobs ended. */
export function createVerifyRecorder(configDir: string, warn: (message: string) => void): VerifyRecorder {
  let writes: Promise<void> = Promise.resolve()
  let count: number | undefined
  const write = async (record: VerifyRecord): Promise<void> => {
    count ??= (await readVerifyRecords(configDir)).length
    await mkdir(recordsDir(configDir), { recursive: true, mode: 0o700 })
    const path = recordsFile(configDir)
    await appendFile(path, `${JSON.stringify(record)}\n`, { mode: 0o600 })
    await chmod(path, 0o600)
    count++
    if (count > VERIFY_KEEP + VERIFY_SLACK) {
      const kept = (await readVerifyRecords(configDir)).slice(-VERIFY_KEEP)
      await writeFileAtomic(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 })
      count = kept.length
    }
  }
  return {
    record(jobId, file, outcome, at) {
      const record = verifyRecord(jobId, file, outcome, at)
      if (record === null) return writes
      writes = writes.then(() =>
        write(record).catch((e: unknown) =>
          warn(
            `the verification of ${file} could not be recorded: ${e instanceof Error ? e.message : String(e)}`,
          ),
        ),
      )
      return writes
    },
  }
}
