/**
 * Benchmark (not a test): throughput of `sfdbtools backup single` (zstd 3, with and without encryption)
 * as a ratio to the shell pipeline `mariadb-dump … | zstd -3 > file && sync file` on the same data, in one
 * run on a private mariadbd. Ratio = baseline time / our time (≥ 1 means we are at least as fast). Target
 * ≥ 0.95. `--data text` (default): one table of product rows with long repetitive notes (zstd ≈ 4:1);
 * `--data sysbench`: 8 sysbench-shaped tables (≈ 2:1).
 *
 *   npm run bench -- --size-mb 1000 --runs 3 [--data text|sysbench]
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { RowDataPacket } from 'mysql2/promise'
import { SAFE_DEFAULT_ARGS } from '../electron/engine/dump/dump-args.ts'
import { CLI } from '../test/harness/cli.ts'
import { benchAccess, createSysbenchTables, median, roundOrder } from './bench-common.ts'
import { connectRoot, startPrivateServer, stopPrivateServer } from '../test/harness/mariadb.ts'

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    data: { type: 'string', default: 'text' },
  },
})
if (values.data !== 'text' && values.data !== 'sysbench') throw new Error('--data is text or sysbench')
const sizeMb = Number(values['size-mb'])
const runs = Number(values.runs)

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} exited ${code}: ${err}`)),
    )
  })
}

type Conn = Awaited<ReturnType<typeof connectRoot>>

/** One table of product rows with long repetitive notes, doubled until it holds ≈ `sizeMb`. */
async function textTable(conn: Conn): Promise<void> {
  await conn.query(`CREATE DATABASE bench; USE bench;
    CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, code CHAR(32), label VARCHAR(200), qty INT,
      price DECIMAL(12,2), at DATETIME, notes TEXT) ENGINE=InnoDB`)
  await conn.query(`INSERT INTO t (code, label, qty, price, at, notes)
    SELECT MD5(seq), CONCAT('Produk ', seq, ' ', SHA2(seq, 256)), seq % 1000, (seq % 100000) / 100,
           '2025-01-01' + INTERVAL seq MINUTE, REPEAT(CONCAT(SHA1(seq), ' catatan '), 1 + seq % 8)
      FROM seq_1_to_10000`)
  for (;;) {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT DATA_LENGTH AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA='bench' AND TABLE_NAME='t'`,
    )
    if (Number(rows[0]?.n) >= sizeMb * 1e6 * 0.85) break
    await conn.query(`INSERT INTO t (code, label, qty, price, at, notes)
      SELECT MD5(CONCAT(id, RAND())), label, qty + 1, price, at + INTERVAL 1 DAY, REVERSE(notes) FROM t`)
    await conn.query('ANALYZE TABLE t')
  }
}

/** 8 sysbench-shaped tables holding ≈ `sizeMb` of SQL. */
async function sysbenchTables(conn: Conn): Promise<void> {
  await conn.query('CREATE DATABASE bench')
  await conn.query('USE bench')
  await createSysbenchTables(conn, 'bench', 8, Math.ceil((sizeMb * 1e6) / 189 / 8))
}

async function main(): Promise<void> {
  const server = await startPrivateServer()
  const work = await mkdtemp(join(tmpdir(), 'sfdb-bench-'))
  try {
    const conn = await connectRoot(server)
    process.stdout.write(`generating ~${sizeMb} MB of ${values.data} data… `)
    await (values.data === 'text' ? textTable(conn) : sysbenchTables(conn))
    await conn.query(
      `CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench-pw'; GRANT ALL ON *.* TO 'bench'@'127.0.0.1'`,
    )
    await conn.end()

    const { conf, env } = await benchAccess(server, work)

    const baselineFile = join(work, 'baseline.sql.zst')
    const dumpArgs = [`--defaults-extra-file=${conf}`, ...SAFE_DEFAULT_ARGS, 'bench']
      .map((a) => `'${a}'`)
      .join(' ')
    // Our run fsyncs its file before it reports success: the shell does too.
    const baseline = () =>
      run('sh', [
        '-c',
        `mariadb-dump ${dumpArgs} | zstd -3 -q -f -o '${baselineFile}' && sync '${baselineFile}'`,
      ])
    const ours = (encrypted: boolean, i: number) => async (): Promise<number> => {
      const out = join(work, `out-${encrypted ? 'enc' : 'plain'}-${i}`)
      await mkdir(out)
      return run(
        process.execPath,
        [
          CLI,
          'backup',
          'single',
          '--profile',
          'bench',
          '--db',
          'bench',
          '--ticket',
          'BENCH',
          '--compress-type',
          'zstd',
          '--compress-level',
          '3',
          '--output-dir',
          out,
          ...(encrypted ? [] : ['--no-encrypt']),
        ],
        { ...env, ...(encrypted ? { SFDB_BACKUP_ENCRYPTION_KEY: 'bench-backup-key' } : {}) },
      )
    }

    // Warm the buffer pool and the page cache once, so no contender pays for the first read.
    await baseline()
    await run('sh', ['-c', `mariadb-dump ${dumpArgs} | wc -c > '${join(work, 'size')}'`])
    const sqlBytes = Number((await readFile(join(work, 'size'), 'utf8')).trim())
    const times = { baseline: [] as number[], plain: [] as number[], encrypted: [] as number[] }
    for (let i = 0; i < runs; i++) {
      const round = [
        { name: 'baseline', time: baseline },
        { name: 'plain', time: ours(false, i) },
        { name: 'encrypted', time: ours(true, i) },
      ] as const
      // Shuffled each run: a fixed order would give each the same predecessor every time (roundOrder).
      for (const { name, time } of roundOrder(round, i)) times[name].push(await time())
    }
    const mbps = (ms: number): string => (sqlBytes / 1e6 / (ms / 1000)).toFixed(1)
    const b = median(times.baseline)
    const p = median(times.plain)
    const e = median(times.encrypted)
    const compressed = (await stat(baselineFile)).size
    console.log(
      `\nSQL per run: ${(sqlBytes / 1e6).toFixed(0)} MB (zstd -3: ${(compressed / 1e6).toFixed(0)} MB); ${runs} runs each, medians:`,
    )
    console.log(
      `  mariadb-dump | zstd -3 > f && sync f ${(b / 1000).toFixed(2)} s  ${mbps(b)} MB/s  (baseline)`,
    )
    console.log(
      `  sfdbtools backup single (zstd 3)     ${(p / 1000).toFixed(2)} s  ${mbps(p)} MB/s  ratio ${(b / p).toFixed(3)}`,
    )
    console.log(
      `  … with encryption (V3, AES-256-GCM)  ${(e / 1000).toFixed(2)} s  ${mbps(e)} MB/s  ratio ${(b / e).toFixed(3)}`,
    )
    console.log(`  target: ratio ≥ 0.95`)
  } finally {
    await stopPrivateServer(server)
    await rm(work, { recursive: true, force: true })
  }
}

await main()
