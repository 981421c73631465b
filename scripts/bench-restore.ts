/**
 * Benchmark (not a test): throughput of `sfdbtools restore single` of a zstd + encrypted backup, sequential
 * and `--parallel 2`, as ratios to the shell pipeline `zstd -dc file.sql.zst | mariadb db` on the same SQL,
 * in one run on a private mariadbd. Ratio = baseline time / our time (≥ 1 means at least as fast).
 * Targets: sequential ≥ 0.95, parallel 2 ≥ 1.4. Also the restore job's peak RSS (it must not grow with the
 * dump's size: run with two sizes to see it).
 *
 * Every timed run starts on a quiet server (the previous load's database dropped, its dirty pages flushed,
 * its binary log purged, the kernel's write-back done),
 * and the order of the three loads is shuffled anew each run (roundOrder), so no load always follows the same one.
 *
 *   npm run bench -- restore --size-mb 500 --runs 5
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CLI } from '../test/harness/cli.ts'
import { benchAccess, createSysbenchTables, median, roundOrder, run, type Timed } from './bench-common.ts'
import { connectRoot, startPrivateServer, stopPrivateServer } from '../test/harness/mariadb.ts'

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '500' },
    runs: { type: 'string', default: '5' },
    tables: { type: 'string', default: '8' },
  },
})
const sizeMb = Number(values['size-mb'])
const runs = Number(values.runs)
const tableCount = Number(values.tables)

/**
 * Waits until the server has written every dirty page (the last load's), so the next load starts on a quiet
 * server. A benchmark's poll of the server's own counter, not a test's synchronisation.
 */
async function quiesce(conn: Awaited<ReturnType<typeof connectRoot>>): Promise<void> {
  await conn.query('SET GLOBAL innodb_max_dirty_pages_pct = 0')
  try {
    for (let i = 0; i < 1500; i++) {
      const [rows] = await conn.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")
      if (Number((rows as { Value: string }[])[0]?.Value ?? 0) < 50) return
      await new Promise((r) => setTimeout(r, 200))
    }
  } finally {
    await conn.query('SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT')
  }
  // The last load's binary log and the kernel's own write-back of it all: not the next load's work.
  await conn.query('FLUSH BINARY LOGS')
  await conn.query('PURGE BINARY LOGS BEFORE NOW()')
  await new Promise<void>((resolve, reject) =>
    spawn('sync', [], { stdio: 'ignore' }).on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`sync exited ${code}`)),
    ),
  )
}

/** sysbench-shaped tables (id, k, c, pad + an index on k), filled until the SQL is about `sizeMb`. */
async function generate(conn: Awaited<ReturnType<typeof connectRoot>>): Promise<void> {
  await conn.query('CREATE DATABASE bench')
  await conn.query('USE bench') // seq_1_to_N is resolved in the current database
  // ≈ 189 bytes of SQL per row (measured); 180 so the SQL is at least `sizeMb`.
  await createSysbenchTables(conn, 'bench', tableCount, Math.ceil((sizeMb * 1e6) / 180 / tableCount))
}

async function main(): Promise<void> {
  const server = await startPrivateServer()
  const work = await mkdtemp(join(tmpdir(), 'sfdb-bench-restore-'))
  try {
    const conn = await connectRoot(server)
    process.stdout.write(`generating ~${sizeMb} MB of SQL in ${tableCount} tables… `)
    await generate(conn)
    await conn.query(
      `CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench-pw'; GRANT ALL ON *.* TO 'bench'@'127.0.0.1'`,
    )
    const access = await benchAccess(server, work)
    const conf = access.conf
    const env = { ...access.env, SFDB_BACKUP_ENCRYPTION_KEY: 'bench-backup-key' }
    const cli = (args: string[]): Promise<Timed> => run(process.execPath, [CLI, ...args], env)
    const out = join(work, 'backup')
    await mkdir(out)
    await cli(
      [
        'backup',
        'single',
        '--profile',
        'bench',
        '--db',
        'bench',
        '--ticket',
        'BENCH',
        '--exclude-user',
      ].concat([
        '--compress-type',
        'zstd',
        '--compress-level',
        '3',
        '--output-dir',
        out,
        '--filename',
        'bench.sql',
      ]),
    )
    // --filename bench.sql: the name is used as it is (zstd + encrypted inside, as the content says).
    const backup = join(out, 'bench.sql')
    const plain = join(work, 'plain.sql.zst')
    await cli(['decrypt', backup, '-o', plain])
    await run('sh', ['-c', `zstd -dc '${plain}' | wc -c > '${join(work, 'size')}'`])
    const sqlBytes = Number((await readFile(join(work, 'size'), 'utf8')).trim())
    console.log(
      `done: ${(sqlBytes / 1e6).toFixed(0)} MB of SQL, ${((await stat(backup)).size / 1e6).toFixed(0)} MB on disk`,
    )

    const fresh = async (db: string): Promise<void> => {
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``)
      await quiesce(conn)
    }
    const baseline = async (): Promise<Timed> => {
      await fresh('r_base')
      await conn.query('CREATE DATABASE r_base')
      return run('sh', ['-c', `zstd -dc '${plain}' | mariadb --defaults-extra-file='${conf}' r_base`])
    }
    const ours = (parallel: number) => async (): Promise<Timed> => {
      const db = `r_par${parallel}`
      await fresh(db)
      return cli(
        ['restore', 'single', backup, '--profile', 'bench', '--ticket', 'BENCH', '--target-db', db].concat([
          '--skip-backup',
          '--parallel',
          String(parallel),
          '--quiet',
        ]),
      )
    }

    const times = { baseline: [] as number[], seq: [] as number[], par2: [] as number[] }
    const loads = [
      { name: 'baseline', load: baseline },
      { name: 'seq', load: ours(1) },
      { name: 'par2', load: ours(2) },
    ] as const
    let peak = 0
    for (let i = 0; i < runs; i++) {
      const order = roundOrder(loads, i)
      for (const { name, load } of order) {
        const t = await load()
        times[name].push(t.ms)
        peak = Math.max(peak, t.jobPeakRss)
      }
      console.log(
        `run ${i + 1}: ${order.map(({ name }) => `${name} ${((times[name][i] ?? NaN) / 1000).toFixed(2)} s`).join(' · ')}`,
      )
    }
    for (const db of ['r_base', 'r_par1', 'r_par2']) await conn.query(`DROP DATABASE IF EXISTS ${db}`)
    await conn.end()
    const mbps = (ms: number): string => (sqlBytes / 1e6 / (ms / 1000)).toFixed(1)
    const b = median(times.baseline)
    const s = median(times.seq)
    const p = median(times.par2)
    console.log(`\n${runs} run(s) each, medians:`)
    console.log(
      `  zstd -dc file | mariadb db                ${(b / 1000).toFixed(2)} s  ${mbps(b)} MB/s  (baseline)`,
    )
    console.log(
      `  sfdbtools restore single (zstd, enc)      ${(s / 1000).toFixed(2)} s  ${mbps(s)} MB/s  ratio ${(b / s).toFixed(3)}  (target ≥ 0.95)`,
    )
    console.log(
      `  … --parallel 2                            ${(p / 1000).toFixed(2)} s  ${mbps(p)} MB/s  ratio ${(b / p).toFixed(3)}  (target ≥ 1.4)`,
    )
    console.log(`  restore job peak RSS: ${(peak / 1e6).toFixed(0)} MB`)
  } finally {
    await stopPrivateServer(server)
    await rm(work, { recursive: true, force: true })
  }
}

await main()
