/**
 * Benchmark (not a test): backups as DBAs' workloads look, each as a ratio to the shell doing the same in the
 * same run on a private mariadbd (ratio = shell time / our time; ≥ 1 means at least as fast):
 *
 *   mid zstd     one sysbench-shaped database (≈ 143 MB of SQL), `backup single` zstd 3, no encryption and
 *                with it, vs `mariadb-dump db | zstd -3 > f && sync f`
 *   mid none     the same with `--compress-type none` vs `mariadb-dump db > f && sync f`
 *   primary      `backup primary` of N small databases (≈ 100 KB of SQL each), zstd, no encryption, no
 *                grants, `--parallel 1` and `--parallel 2`, vs a shell loop of `mariadb-dump db | zstd -3 > f; sync f`
 *   dry-run      a one-database plan (start, profile key derivation, connection, plan): its time alone
 *   floor        what every run must add before it can connect: Node's start and the profile key's
 *                derivation (600,000 PBKDF2-SHA256 rounds: the format of the profiles sfDBTools writes) —
 *                the "bound" column is the best ratio a run could reach with nothing else added,
 *                shell / (shell + floor)
 *
 * Every contender runs once per round, in an order shuffled anew each round (roundOrder); the medians are
 * reported with the job's peak RSS. Targets (issue 12): mid zstd ≥ 0.90 (encrypted ≥ 0.85), none ≥ 0.90,
 * primary ≥ 0.80 (parallel 2 ≥ 1.2), dry-run ≤ 0.35 s, job peak RSS ≤ 150 MB.
 *
 * `--profile` then runs each of ours once more with SFDB_TIMING=1 and prints its timeline (process start,
 * key derivation, planning, the job's start and inspection, each file's dump, sync and commit).
 *
 *   npm run bench -- workloads [--runs 5] [--mid-mb 143] [--small 20] [--profile]
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ITERATIONS_CURRENT } from '../electron/engine/crypto/container-format.ts'
import { SAFE_DEFAULT_ARGS } from '../electron/engine/dump/dump-args.ts'
import { CLI } from '../test/harness/cli.ts'
import { connectRoot, startPrivateServer, stopPrivateServer } from '../test/harness/mariadb.ts'
import { benchAccess, createSysbenchTables, median, roundOrder, run, type Timed } from './bench-common.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'mid-mb': { type: 'string', default: '143' },
    small: { type: 'string', default: '20' },
    /** Also run each of ours once with SFDB_TIMING=1 and print where its wall time went. */
    profile: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const midMb = Number(values['mid-mb'])
const smallCount = Number(values.small)
const SMALL_PREFIX = 'dbsf_nbc_c'

type Conn = Awaited<ReturnType<typeof connectRoot>>

/** `mid`: 8 sysbench-shaped tables (≈ 189 bytes of SQL a row); N small tenant databases of 4 tables. */
async function generate(conn: Conn): Promise<string[]> {
  await conn.query('CREATE DATABASE mid')
  await conn.query('USE mid') // seq_1_to_N is resolved in the current database
  await createSysbenchTables(conn, 'mid', 8, Math.ceil((midMb * 1e6) / 189 / 8))
  const small: string[] = []
  for (let c = 1; c <= smallCount; c++) {
    const db = `${SMALL_PREFIX}${String(c).padStart(3, '0')}`
    small.push(db)
    await conn.query(`CREATE DATABASE ${db}`)
    for (let t = 1; t <= 4; t++) {
      await conn.query(`CREATE TABLE ${db}.t${t} (id INT PRIMARY KEY, name VARCHAR(100), note TEXT)`)
      await conn.query(
        `INSERT INTO ${db}.t${t} SELECT seq, CONCAT('nama ', seq), REPEAT(SHA1(seq), 2) FROM seq_1_to_200`,
      )
    }
  }
  await conn.query(
    `CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench-pw'; GRANT ALL ON *.* TO 'bench'@'127.0.0.1'`,
  )
  return small
}

/** The SFDB_TIMING lines a CLI run prints on stderr (the first targets' and the last lines of a long run). */
function timeline(args: string[], env: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`exited ${code}: ${err.slice(-2000)}`))
      const lines = err.split('\n').filter((l) => /^\s*\d+ ms\s+\+/.test(l))
      const shown = lines.filter((l) => !/target (\d+):/.exec(l) || Number(/target (\d+):/.exec(l)?.[1]) <= 2)
      resolve(
        shown.length < lines.length
          ? [...shown, `(… targets 3 and later: ${lines.length - shown.length} lines left out)`]
          : shown,
      )
    })
  })
}

interface Contender {
  name: string
  run(round: number): Promise<Timed>
}

async function main(): Promise<void> {
  const server = await startPrivateServer()
  const work = await mkdtemp(join(tmpdir(), 'sfdb-bench-workloads-'))
  try {
    const conn = await connectRoot(server)
    process.stdout.write(`generating mid (~${midMb} MB of SQL) and ${smallCount} small databases… `)
    const small = await generate(conn)
    await conn.end()
    console.log('done')
    const { conf, env } = await benchAccess(server, work)

    const dumpArgs = [`--defaults-extra-file=${conf}`, ...SAFE_DEFAULT_ARGS].map((a) => `'${a}'`).join(' ')
    const outDir = async (name: string): Promise<string> => {
      const dir = join(work, `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`)
      await mkdir(dir)
      return dir
    }
    const shell = (script: (dir: string) => string) => async (): Promise<Timed> => {
      const dir = await outDir('shell')
      try {
        return await run('sh', ['-c', script(dir)])
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }
    const ours =
      (args: string[], extraEnv: Record<string, string> = {}) =>
      async (): Promise<Timed> => {
        const dir = await outDir('ours')
        try {
          const common = ['--ticket', 'BENCH', '--profile', 'bench', '--exclude-user', '--output-dir', dir]
          return await run(process.execPath, [CLI, 'backup', ...args, ...common], { ...env, ...extraEnv })
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      }
    const zstd3 = ['--compress-type', 'zstd', '--compress-level', '3']
    const loop = small
      .map(
        (db) =>
          `mariadb-dump ${dumpArgs} ${db} | zstd -3 -q -o "$d/${db}.sql.zst" && sync "$d/${db}.sql.zst"`,
      )
      .join('; ')
    const contenders: Contender[] = [
      {
        name: 'shell mid zstd',
        run: shell((d) => `mariadb-dump ${dumpArgs} mid | zstd -3 -q -o '${d}/f.zst' && sync '${d}/f.zst'`),
      },
      { name: 'ours mid zstd', run: ours(['single', '--db', 'mid', ...zstd3, '--no-encrypt']) },
      {
        name: 'ours mid zstd enc',
        run: ours(['single', '--db', 'mid', ...zstd3], { SFDB_BACKUP_ENCRYPTION_KEY: 'bench-backup-key' }),
      },
      {
        name: 'shell mid none',
        run: shell((d) => `mariadb-dump ${dumpArgs} mid > '${d}/f.sql' && sync '${d}/f.sql'`),
      },
      {
        name: 'ours mid none',
        run: ours(['single', '--db', 'mid', '--compress-type', 'none', '--no-encrypt']),
      },
      { name: 'shell primary', run: shell((d) => `d='${d}'; ${loop}`) },
      {
        name: 'ours primary',
        // Sequential on purpose: more than 8 databases run min(4, cores) at once by default.
        run: ours(['primary', '--prefix', SMALL_PREFIX, ...zstd3, '--no-encrypt', '--parallel', '1']),
      },
      {
        name: 'ours primary par2',
        run: ours(['primary', '--prefix', SMALL_PREFIX, ...zstd3, '--no-encrypt', '--parallel', '2']),
      },
      { name: 'ours dry-run', run: ours(['single', '--db', 'mid', ...zstd3, '--no-encrypt', '--dry-run']) },
      {
        name: 'floor',
        run: () =>
          run(process.execPath, [
            '-e',
            `require('node:crypto').pbkdf2Sync('bench-profile-key', Buffer.alloc(16), ${ITERATIONS_CURRENT}, 32, 'sha256')`,
          ]),
      },
    ]

    // Warm the server's buffer pool and the page cache once: no contender pays for the first read.
    await shell((d) => `mariadb-dump ${dumpArgs} --all-databases > '${d}/warm.sql'`)()
    const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]))
    let peak = 0
    /** Each of ours: its job's peak RSS over the rounds. */
    const peaks = new Map<string, number>()
    for (let round = 0; round < runs; round++) {
      const order = roundOrder(contenders, round)
      for (const c of order) {
        const t = await c.run(round)
        times.get(c.name)?.push(t.ms)
        peak = Math.max(peak, t.jobPeakRss)
        if (t.jobPeakRss > 0) peaks.set(c.name, Math.max(peaks.get(c.name) ?? 0, t.jobPeakRss))
      }
      console.log(`round ${round + 1} of ${runs} done`)
    }
    const m = (name: string): number => median(times.get(name) ?? [])
    const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
    const row = (what: string, base: string, ourName: string, target: string): void => {
      const bound = (m(base) / (m(base) + m('floor'))).toFixed(2)
      console.log(
        `  ${what.padEnd(34)} ${s(m(base)).padStart(8)} ${s(m(ourName)).padStart(8)}   ${(m(base) / m(ourName)).toFixed(2).padStart(5)}   ${target.padEnd(8)} ${bound.padStart(5)}`,
      )
    }
    console.log(`\n${runs} round(s), medians:           shell     ours   ratio   target   bound`)
    row(`mid (${midMb} MB SQL), zstd 3`, 'shell mid zstd', 'ours mid zstd', '≥ 0.90')
    row('… with encryption', 'shell mid zstd', 'ours mid zstd enc', '≥ 0.85')
    row('mid, none', 'shell mid none', 'ours mid none', '≥ 0.90')
    row(`primary, ${smallCount} small dbs, --parallel 1`, 'shell primary', 'ours primary', '≥ 0.80')
    row('… --parallel 2', 'shell primary', 'ours primary par2', '≥ 1.2')
    console.log(
      `  dry-run of a one-database plan     ${s(m('ours dry-run')).padStart(17)}           ≤ 0.35 s`,
    )
    console.log(
      `  floor: Node's start + the profile key's derivation ${s(m('floor')).padStart(8)} (in every run, before it can connect)`,
    )
    console.log(`  job peak RSS: ${(peak / 1e6).toFixed(0)} MB (target ≤ 150 MB)`)
    for (const [name, bytes] of peaks) console.log(`    ${name.padEnd(32)} ${(bytes / 1e6).toFixed(0)} MB`)
    if (values.profile) {
      for (const [what, args] of [
        ['mid, zstd 3', ['single', '--db', 'mid', ...zstd3, '--no-encrypt']],
        ['mid, none', ['single', '--db', 'mid', '--compress-type', 'none', '--no-encrypt']],
        [
          `primary, ${smallCount} small`,
          ['primary', '--prefix', SMALL_PREFIX, ...zstd3, '--no-encrypt', '--parallel', '1'],
        ],
      ] as const) {
        console.log(`\nwhere the time of "${what}" goes (SFDB_TIMING=1):`)
        const dir = await outDir('profile')
        const common = ['--ticket', 'BENCH', '--profile', 'bench', '--exclude-user', '--output-dir', dir]
        for (const line of await timeline([CLI, 'backup', ...args, ...common], { ...env, SFDB_TIMING: '1' }))
          console.log(`  ${line}`)
        await rm(dir, { recursive: true, force: true })
      }
    }
  } finally {
    await stopPrivateServer(server)
    await rm(work, { recursive: true, force: true })
  }
}

await main()
