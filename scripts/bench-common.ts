/** What the benchmarks share: a CLI profile for the private server, timed runs, and the median of the runs. */
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { formatDefaultsFile } from '../electron/engine/dump/defaults-file.ts'
import { CLI } from '../test/harness/cli.ts'
import type { connectRoot, PrivateServer } from '../test/harness/mariadb.ts'

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/**
 * `<db>.sbtest1..tables`, sysbench-shaped (id, k, c, pad and an index on k; ≈ 189 bytes of SQL a row), in a
 * database that exists and is the connection's current one (seq_1_to_N is resolved there).
 */
export async function createSysbenchTables(
  conn: Awaited<ReturnType<typeof connectRoot>>,
  db: string,
  tables: number,
  rowsPerTable: number,
): Promise<void> {
  for (let i = 1; i <= tables; i++) {
    await conn.query(`CREATE TABLE ${db}.sbtest${i} (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '',
      KEY k_${i} (k)) ENGINE=InnoDB`)
    await conn.query(`INSERT INTO ${db}.sbtest${i} (k, c, pad)
      SELECT FLOOR(RAND(seq) * ${rowsPerTable}), CONCAT_WS('-', LPAD(seq, 11, '0'), SUBSTR(SHA2(seq, 512), 1, 96)),
             SUBSTR(SHA2(seq * 7, 256), 1, 59)
        FROM seq_1_to_${rowsPerTable}`)
  }
}

/** `sfdbtools profile create --name bench` for the private server's bench account (password on stdin). */
export function createBenchProfile(server: PrivateServer, env: Record<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [
        CLI,
        'profile',
        'create',
        '--name',
        'bench',
        '--host',
        server.host,
        '--port',
        String(server.port),
      ].concat(['--user', 'bench', '--password-stdin']),
      { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'inherit'] },
    )
    c.stdin.end('bench-pw\n')
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error('profile create failed'))))
  })
}

export interface Timed {
  ms: number
  /** Peak resident memory of the command, which runs the job itself (VmHWM); 0 for a shell baseline. */
  jobPeakRss: number
}

/** Runs a command; while it runs, watches its peak RSS (the CLI runs its job in its own process). */
export function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } })
    let err = ''
    let peak = 0
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)))
    // A benchmark's sampler, not synchronisation: VmHWM is the kernel's own high-water mark.
    const sampler = setInterval(() => void peakRss(child.pid).then((n) => (peak = Math.max(peak, n))), 250)
    child.on('close', (code) => {
      clearInterval(sampler)
      if (code === 0) resolve({ ms: performance.now() - t0, jobPeakRss: peak })
      else reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} exited ${code}: ${err}`))
    })
  })
}

/** VmHWM of a Node process (a shell baseline's `bash -c` holds nothing worth counting). */
async function peakRss(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0
  const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  if (!cmd.includes('sfdbtools')) return 0
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024
}

/**
 * The bench account's way in for the shell baselines (a 0600 client.cnf in `work`) and for ours (a CLI
 * profile in `<work>/config`, unlocked by the environment). The server must already have the account.
 */
export async function benchAccess(
  server: PrivateServer,
  work: string,
): Promise<{ conf: string; env: Record<string, string> }> {
  const conf = join(work, 'client.cnf')
  await writeFile(
    conf,
    formatDefaultsFile({ host: server.host, port: server.port, user: 'bench', password: 'bench-pw' }),
    { mode: 0o600 },
  )
  const env = { SFDB_CONFIG_PATH: join(work, 'config'), SFDB_PROFILE_KEY: 'bench-profile-key' }
  await createBenchProfile(server, env)
  return { conf, env }
}

/**
 * The order of round `round`: every item once, shuffled with the round as the seed (reproducible). Not a
 * rotation: a rotation keeps each item's predecessor the same in every round, so an after-effect of one
 * contender (its deleted output, its CPU's heat, the server's background work) always lands on the same next
 * one — in the workloads bench the plain zstd backup always ran right after the shell's.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  let seed = (round + 1) * 0x9e3779b9
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}
