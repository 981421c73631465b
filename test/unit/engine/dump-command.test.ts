import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { classifyDumpExit } from '../../../electron/engine/dump/classify.ts'
import { buildDumpArgs, SAFE_DEFAULT_ARGS } from '../../../electron/engine/dump/dump-args.ts'
import { rememberClientProgram } from '../../../electron/engine/dump/client-program.ts'
import { findDumpBinary, parseDumpVersion } from '../../../electron/engine/dump/dump-binary.ts'
import { dumpExitError, startDump } from '../../../electron/engine/dump/dump-process.ts'
import { formatDefaultsFile, quoteOptionValue } from '../../../electron/engine/dump/defaults-file.ts'
import { waitFor } from '../../harness/processes.ts'

const conn = { host: 'db.example', port: 3307, user: 'backup', password: 'p"w#\\x\'y' }

describe('dump binary', () => {
  it('parses the version lines of both flavors', () => {
    expect(
      parseDumpVersion('mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)'),
    ).toMatchObject({ flavor: 'mariadb', version: '10.11.19' })
    expect(
      parseDumpVersion('mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)'),
    ).toMatchObject({ flavor: 'mysql', version: '8.4.3' })
    expect(parseDumpVersion('mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)')).toMatchObject({
      flavor: 'mysql',
      version: '5.7.44',
    })
  })

  it('prefers mariadb-dump, and a configured path wins', async () => {
    expect((await findDumpBinary()).path).toMatch(/mariadb-dump$/)
    expect((await findDumpBinary('/usr/bin/mysqldump')).path).toBe('/usr/bin/mysqldump')
    await expect(findDumpBinary('/nonexistent/mysqldump')).rejects.toMatchObject({
      code: 'DumpBinaryMissing',
    })
    await expect(findDumpBinary(null, '/nonexistent')).rejects.toThrow(/neither mariadb-dump nor mysqldump/)
  })
})

describe('dump binary version, read once', () => {
  it('runs --version once per file state, and again when the file changes; a planner hands it to the job', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-version-once-'))
    const counter = join(dir, 'calls')
    const fake = join(dir, 'fake-dump')
    const script = (v: string): string =>
      `#!/bin/sh\necho x >> '${counter}'\necho 'mariadb-dump  Ver 10.19 Distrib ${v}-MariaDB, for debian-linux-gnu (x86_64)'\n`
    await writeFile(fake, script('10.11.19'))
    await chmod(fake, 0o755)
    const calls = async (): Promise<number> =>
      (await readFile(counter, 'utf8').catch(() => '')).split('\n').filter(Boolean).length
    const first = await findDumpBinary(fake)
    expect(first).toMatchObject({ path: fake, version: '10.11.19' })
    expect(first.stamp).toMatch(/^\d+(\.\d+)?:\d+$/)
    expect((await findDumpBinary(fake)).version).toBe('10.11.19')
    expect(await calls()).toBe(1)
    // An upgraded binary (new size and mtime) is asked again.
    await writeFile(fake, script('10.11.200'))
    expect((await findDumpBinary(fake)).version).toBe('10.11.200')
    expect(await calls()).toBe(2)
    // What a planner found, handed over, is trusted only while the file is unchanged.
    const found = await findDumpBinary(fake)
    rememberClientProgram({ ...found, version: '99.0.0' })
    expect((await findDumpBinary(fake)).version).toBe('99.0.0')
    rememberClientProgram({ ...found, version: '98.0.0', stamp: 'not the file any more' })
    expect((await findDumpBinary(fake)).version).toBe('10.11.200')
    expect(await calls()).toBe(3)
  })
})

describe('dump arguments', () => {
  it('has the safe defaults, a bare single database, --databases for several', () => {
    const mariadb = { flavor: 'mariadb' as const, version: '10.11.19' }
    const one = buildDumpArgs({
      binary: mariadb,
      serverFlavor: 'mariadb',
      databases: ['shop'],
      excludeData: false,
      extraArgs: [],
    })
    expect(one).toEqual([...SAFE_DEFAULT_ARGS, '--', 'shop'])
    const many = buildDumpArgs({
      binary: mariadb,
      serverFlavor: 'mariadb',
      databases: ['a', 'b'],
      excludeData: true,
      extraArgs: ['--order-by-primary'],
    })
    expect(many.slice(-6)).toEqual(['--order-by-primary', '--no-data', '--databases', '--', 'a', 'b'])
  })

  it("adds what MySQL's mysqldump needs", () => {
    const args = buildDumpArgs({
      binary: { flavor: 'mysql', version: '8.4.3' },
      serverFlavor: 'mariadb',
      databases: ['x'],
      excludeData: false,
      extraArgs: [],
    })
    expect(args).toEqual(
      expect.arrayContaining(['--set-gtid-purged=OFF', '--no-tablespaces', '--column-statistics=0']),
    )
  })

  it('never contains credentials', () => {
    const args = buildDumpArgs({
      binary: { flavor: 'mariadb', version: '10.11' },
      serverFlavor: 'mariadb',
      databases: ['x'],
      excludeData: false,
      extraArgs: [],
    })
    expect(args.join(' ')).not.toMatch(/password|--user|--host/)
  })
})

describe('defaults file', () => {
  it('quotes values so that #, quotes and backslashes survive', () => {
    expect(quoteOptionValue('a"b#c\\d')).toBe('"a\\"b#c\\\\d"')
    expect(formatDefaultsFile(conn)).toBe(
      '[client]\nuser="backup"\npassword="p\\"w#\\\\x\'y"\nhost="db.example"\nport=3307\nprotocol=TCP\n',
    )
    expect(formatDefaultsFile({ ...conn, socket: '/run/s.sock' })).toContain('socket="/run/s.sock"')
  })
})

describe('dump process (fake commands)', () => {
  const fake = async (script: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-dump-'))
    const path = join(dir, 'fake-dump')
    await writeFile(path, `#!/bin/sh\n${script}\n`)
    await chmod(path, 0o755)
    return path
  }

  it('hands credentials over in a private 0600 file that is gone after the exit', async () => {
    // Prints the mode and contents of the file named by its first argument, then exits 0.
    const path = await fake('f="${1#--defaults-extra-file=}"; stat -c %a "$f"; cat "$f"; echo "$f" >&2')
    const dump = await startDump(path, conn, ['x'])
    let out = ''
    for await (const c of dump.stdout) out += String(c)
    const exit = await dump.exited
    expect(out.split('\n')[0]).toBe('600')
    expect(out).toContain('password="p\\"w#\\\\x\'y"')
    expect(exit.outcome).toBe('warnings') // stderr was not empty
    const file = exit.stderrTail.trim()
    await expect(readdir(join(file, '..'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('classifies exits as sfDBTools does', async () => {
    expect((await (await startDump('/bin/true', conn, [])).exited).outcome).toBe('ok')
    const f = await (await startDump('/bin/false', conn, [])).exited
    expect(f.outcome).toBe('fatal') // exit 1 with empty stderr
    const script = await fake(
      'echo "-- partial"; echo "mariadb-dump: Got error: 1045: Access denied for user" >&2; exit 2',
    )
    const d = await startDump(script, conn, [])
    for await (const _ of d.stdout) void _
    const e = await d.exited
    expect(e.outcome).toBe('fatal')
    expect(dumpExitError(e)).toMatchObject({ code: 'AuthFailed' })
    expect(classifyDumpExit(1, null, "mysqldump: Couldn't read keys from table x")).toBe('warnings')
    expect(classifyDumpExit(1, null, 'something odd')).toBe('fatal')
    expect(classifyDumpExit(null, 'SIGKILL', '')).toBe('fatal')
  })

  it('kill() stops a running dump', async () => {
    const d = await startDump(await fake('echo started; exec sleep 30'), conn, [])
    d.stdout.resume()
    d.kill()
    const e = await d.exited
    expect(e.signal).toBe('SIGTERM')
    expect(dumpExitError(e).message).toContain('SIGTERM')
  })

  it('streams a large output in order and holds the dump back while nobody reads (bounded memory)', async () => {
    const d = await startDump(await fake('exec head -c 40000000 /dev/zero'), conn, [])
    // Nobody reads yet: the dump must end up blocked in a write to a full pipe — seen twice in a row with
    // the same byte count, so it stays there — having written a few MiB (read ahead), not all 40 MB into
    // our memory. Whenever the machine gets there: no fixed wait.
    const pid = d.pid ?? 0
    let last = ''
    const written = await waitFor(
      async () => {
        const [wchan, io] = await Promise.all([
          readFile(`/proc/${pid}/wchan`, 'utf8'),
          readFile(`/proc/${pid}/io`, 'utf8'),
        ])
        const now = `${wchan} ${/wchar: (\d+)/.exec(io)?.[1]}`
        const steady = /pipe_write/.test(wchan) && now === last
        last = now
        return steady ? Number(now.split(' ')[1]) : null
      },
      30_000,
      'the dump to block on a full pipe',
    )
    expect(written).toBeLessThan(16 * 1024 * 1024)
    let total = 0
    let chunks = 0
    for await (const c of d.stdout) {
      total += (c as Buffer).length
      chunks++
    }
    expect(total).toBe(40_000_000)
    expect(chunks).toBeLessThan(200) // ≈1 MiB blocks, not thousands of 4 KiB reads
    expect((await d.exited).outcome).toBe('ok')
  })

  it('a consumer that stops early and kills the dump does not hang', async () => {
    const d = await startDump(await fake('exec cat /dev/zero'), conn, [])
    for await (const _ of d.stdout) break // destroys the stream after the first block
    d.kill()
    const e = await d.exited
    expect(e.signal ?? e.code).not.toBe(0)
  })
})
