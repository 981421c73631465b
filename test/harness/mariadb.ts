/**
 * A private, throwaway mariadbd for one test run: own datadir (copied from a template prepared once),
 * own socket, a free loopback port, binlog + GTID on. It never reads a system-wide my.cnf (every command
 * gets --no-defaults) and never talks to a system instance.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'

const execFileAsync = promisify(execFile)

export interface PrivateServer {
  host: string
  port: number
  socket: string
  /** Root over TCP with a password, as a DBA's profile would use it. */
  rootUser: string
  rootPassword: string
  baseDir: string
  errorLog: string
  /** The server speaks TLS with a certificate for 127.0.0.1/localhost signed by `ca`; `wrongCa` signed nothing. */
  tls: { ca: string; wrongCa: string }
}

const ROOT_PASSWORD = 'r00t-Priv4te!#pw'
const MARIADBD = process.env.SFDB_TEST_MARIADBD ?? '/usr/sbin/mariadbd'

/** Where the prepared template datadir is kept between runs (inside the project, git-ignored). */
const templateRoot = resolve(import.meta.dirname, '../../.cache/mariadb-template')

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() =>
        typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port')),
      )
    })
  })
}

async function serverVersion(): Promise<string> {
  const { stdout } = await execFileAsync(MARIADBD, ['--version'])
  return stdout.trim()
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, plus an unrelated CA. */
async function makeCertificates(dir: string): Promise<void> {
  const ssl = (args: string[]): Promise<unknown> => execFileAsync('openssl', args, { cwd: dir })
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  for (const ca of ['ca', 'wrong-ca']) {
    await ssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      `/CN=sfdb test ${ca}`,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
    ])
  }
  await ssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ])
  await ssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '3650',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  ])
}

/** mariadb-install-db once per server version; later runs copy the result (< 0.2 s). */
async function ensureTemplate(): Promise<string> {
  const version = await serverVersion()
  const dir = join(templateRoot, version.replace(/[^A-Za-z0-9.-]+/g, '_'))
  const marker = join(dir, '.ready-tls')
  if (await exists(marker)) return join(dir, 'data')
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await execFileAsync('mariadb-install-db', [
    '--no-defaults',
    '--user=root',
    `--datadir=${join(dir, 'data')}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
  ])
  await makeCertificates(dir)
  await mkdir(marker)
  return join(dir, 'data')
}

/**
 * Polls until the server answers a ping (a real condition, with an overall deadline; a busy machine may
 * take a while to start several servers at once). Gives up at once when the server process has exited.
 */
async function waitForPing(
  socket: string,
  timeoutMs: number,
  errorLog: string,
  server: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await execFileAsync('mariadb-admin', ['--no-defaults', `--socket=${socket}`, '--user=root', 'ping'])
      return
    } catch {
      const exited = server.exitCode !== null || server.signalCode !== null
      if (exited || Date.now() > deadline) {
        const log = await readFile(errorLog, 'utf8').catch(() => '')
        const why = exited
          ? `exited (${server.exitCode ?? server.signalCode}) before it answered`
          : `did not answer within ${timeoutMs} ms`
        throw new Error(`private mariadbd ${why}:\n${log.slice(-2000)}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** Starts a private server and returns how to reach it. Call stopPrivateServer when done. */
export async function startPrivateServer(): Promise<PrivateServer> {
  const template = await ensureTemplate()
  const certs = join(template, '..')
  const baseDir = await mkdtemp(join(tmpdir(), 'sfdb-mariadb-'))
  const datadir = join(baseDir, 'data')
  await cp(template, datadir, { recursive: true })
  await mkdir(join(baseDir, 'tmp'))
  await mkdir(join(baseDir, 'binlog'))
  const port = await freePort()
  const socket = join(baseDir, 's.sock')
  const errorLog = join(baseDir, 'error.log')
  const child = spawn(
    MARIADBD,
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--pid-file=${join(baseDir, 'pid')}`,
      `--tmpdir=${join(baseDir, 'tmp')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--log-bin=${join(baseDir, 'binlog', 'bin')}`,
      '--server-id=1',
      '--binlog-format=ROW',
      `--log-error=${errorLog}`,
      '--innodb-buffer-pool-size=128M',
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
      '--event-scheduler=OFF',
      '--max-allowed-packet=256M',
      `--ssl-ca=${join(certs, 'ca.pem')}`,
      `--ssl-cert=${join(certs, 'server.pem')}`,
      `--ssl-key=${join(certs, 'server.key')}`,
    ],
    { stdio: 'ignore', detached: true },
  )
  child.unref()
  try {
    await waitForPing(socket, 90_000, errorLog, child)
    await setRootPassword(socket)
  } catch (e) {
    child.kill('SIGKILL')
    await rm(baseDir, { recursive: true, force: true })
    throw e
  }
  return {
    host: '127.0.0.1',
    port,
    socket,
    rootUser: 'root',
    rootPassword: ROOT_PASSWORD,
    baseDir,
    errorLog,
    tls: { ca: join(certs, 'ca.pem'), wrongCa: join(certs, 'wrong-ca.pem') },
  }
}

async function setRootPassword(socket: string): Promise<void> {
  // Root gets a real password over TCP, as on a real server; the socket keeps working for the harness.
  await execFileAsync('mariadb', [
    '--no-defaults',
    `--socket=${socket}`,
    '--user=root',
    '-e',
    `ALTER USER 'root'@'localhost' IDENTIFIED BY '${ROOT_PASSWORD}';` +
      `CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';` +
      `ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '${ROOT_PASSWORD}';` +
      `GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;`,
  ])
}

export async function stopPrivateServer(server: PrivateServer): Promise<void> {
  await execFileAsync(
    'mariadb-admin',
    ['--no-defaults', `--socket=${server.socket}`, '--user=root', 'shutdown'],
    {
      env: { ...process.env, MYSQL_PWD: server.rootPassword },
    },
  ).catch(async () => {
    const pid = Number((await readFile(join(server.baseDir, 'pid'), 'utf8').catch(() => '0')).trim())
    if (pid > 0) process.kill(pid, 'SIGKILL')
  })
  await rm(server.baseDir, { recursive: true, force: true })
}

/** A root connection over TCP (multiple statements allowed, for fixtures). */
export async function connectRoot(server: PrivateServer, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.rootUser,
    password: server.rootPassword,
    multipleStatements: true,
    ...(database ? { database } : {}),
  })
}

/** Runs SQL text through the real `mariadb` client over the socket (used for restores). */
export async function runMariadbClient(
  server: PrivateServer,
  sql: NodeJS.ReadableStream | string,
  database?: string,
): Promise<void> {
  const child = spawn(
    'mariadb',
    [
      '--no-defaults',
      `--socket=${server.socket}`,
      '--user=root',
      '--binary-mode',
      ...(database ? [database] : []),
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, MYSQL_PWD: server.rootPassword } },
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<void>((res, rej) => {
    child.on('error', rej)
    child.on('close', (code) =>
      code === 0 ? res() : rej(new Error(`mariadb client exited ${code}: ${stderr.slice(-2000)}`)),
    )
  })
  if (typeof sql === 'string') child.stdin.end(sql)
  else sql.pipe(child.stdin)
  await done
}
