/**
 * `npm run demo`: the whole headless flow on a throwaway MariaDB, as a DBA would type it —
 * profile create → backup single (zstd, encrypted) → verify → decrypt — then prints where everything is.
 * Nothing touches a system-wide server; the private one is stopped at the end. Files stay in demo-output/.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BackupResult } from '../shared/backup-types.ts'
import { CLI, ROOT } from '../test/harness/cli.ts'
import { createSampleDatabase } from '../test/harness/fixtures.ts'
import { connectRoot, startPrivateServer, stopPrivateServer } from '../test/harness/mariadb.ts'

const OUT = join(ROOT, 'demo-output')
const say = (s: string): void => console.log(`\x1b[1m▶ ${s}\x1b[0m`)

function sfdbtools(args: string[], env: Record<string, string>, input?: string): Promise<string> {
  console.log(`  $ sfdbtools ${args.join(' ')}`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (!args.includes('--json'))
        process.stdout.write(d.toString().replace(/\n$/, '').replace(/^/gm, '    ') + '\n')
    })
    child.stdin.end(input ?? '')
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`sfdbtools exited ${code}`))))
  })
}

async function build(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const c = spawn('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error('build failed'))))
  })
}

async function main(): Promise<void> {
  say('building the CLI')
  await build()
  await rm(OUT, { recursive: true, force: true })
  await mkdir(OUT, { recursive: true })

  say('starting a private, throwaway MariaDB (own datadir, socket and loopback port)')
  const server = await startPrivateServer()
  try {
    const conn = await connectRoot(server)
    await createSampleDatabase(conn, 'demo_shop', { rows: 20_000 })
    const password = `demo-${randomBytes(6).toString('hex')}`
    await conn.query(`CREATE USER 'demo_backup'@'127.0.0.1' IDENTIFIED BY ?`, [password])
    await conn.query(
      `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD ON *.* TO 'demo_backup'@'127.0.0.1'`,
    )
    await conn.end()
    console.log(
      `  server 127.0.0.1:${server.port}, database demo_shop (20,000 customers, views, triggers, routines)`,
    )

    // Keys travel in the environment, never on a command line; they are kept for you in a 0600 file.
    const env = {
      SFDB_CONFIG_PATH: join(OUT, 'config'),
      SFDB_PROFILE_KEY: `profile-${randomBytes(8).toString('hex')}`,
      SFDB_BACKUP_ENCRYPTION_KEY: `backup-${randomBytes(8).toString('hex')}`,
    }
    const keysFile = join(OUT, 'demo-keys.env')
    await writeFile(
      keysFile,
      Object.entries(env)
        .map(([k, v]) => `${k}='${v}'`)
        .join('\n') + '\n',
      { mode: 0o600 },
    )

    say('creating a connection profile (password on stdin)')
    await sfdbtools(
      [
        'profile',
        'create',
        '--name',
        'demo',
        '--host',
        '127.0.0.1',
        '--port',
        String(server.port),
        '--user',
        'demo_backup',
        '--password-stdin',
      ],
      env,
      password + '\n',
    )
    await sfdbtools(['profile', 'show', 'demo'], env)

    say('backing up demo_shop (zstd level 3, AES-256-GCM)')
    const json = await sfdbtools(
      [
        'backup',
        'single',
        '--profile',
        'demo',
        '--db',
        'demo_shop',
        '--ticket',
        'DEMO-1',
        '--output-dir',
        join(OUT, 'backup'),
        '--json',
      ],
      env,
    )
    const result = JSON.parse(json) as BackupResult
    const target = result.targets[0]
    if (!result.ok || !target?.file) throw new Error(`backup failed: ${json}`)
    console.log(`    ${target.status}: ${target.file}`)
    console.log(
      `    ${target.sqlBytes} bytes of SQL → ${target.bytes} bytes on disk in ${target.durationMs} ms`,
    )

    say('verifying the backup end to end (container, compression, trailer, sha256)')
    await sfdbtools(['verify', target.file], env)

    say('decrypting it back to SQL')
    const sql = join(OUT, 'demo_shop.sql')
    await sfdbtools(['decrypt', target.file, '--decompress', '-o', sql], env)

    say('done')
    console.log(`  backup:    ${target.file}`)
    console.log(`  metadata:  ${target.file}.meta.json`)
    console.log(`  SQL:       ${sql}`)
    console.log(`  profile:   ${join(env.SFDB_CONFIG_PATH, 'database_profile', 'demo.cnf.enc')}`)
    console.log(
      `  keys:      ${keysFile} (0600) — try: set -a; . ${keysFile}; npx sfdbtools verify '${target.file}'`,
    )
  } finally {
    await stopPrivateServer(server)
  }
}

main().catch((e: unknown) => {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
})
