import { copyFile, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox, ROOT, runCli, runCliInTerminal } from '../harness/cli.ts'

const VECTORS = join(ROOT, 'test', 'fixtures', 'sfdbtools') // the sfDBTools vectors (see its README)
const KEY = 'our profile key'

interface Row {
  name: string
  host?: string
  port?: number
  user?: string
  tls?: string
  ssh?: string | null
  error?: string
}

describe('profile management: edit, clone, delete, import, list at a glance', () => {
  let sandbox: Awaited<ReturnType<typeof cliSandbox>>
  let env: Record<string, string>
  const dir = (): string => join(sandbox.configDir, 'database_profile')

  beforeAll(async () => {
    sandbox = await cliSandbox()
    env = { ...sandbox.env, SFDB_PROFILE_KEY: KEY }
    const run = await runCli(
      [
        'profile',
        'create',
        '--name',
        'prod',
        '--host',
        'db1.example',
        '--port',
        '3307',
        '--user',
        'backup',
        '--password-stdin',
      ],
      { env, input: 'S3cret#pw\n' },
    )
    expect(run.code, run.stderr).toBe(0)
  })

  const list = async (extra: Record<string, string | undefined> = {}): Promise<Row[]> => {
    const run = await runCli(['profile', 'list', '--json'], { env: { ...env, ...extra } })
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout) as Row[]
  }

  it('list shows host, port, user and SSH at a glance with the key, names only without it', async () => {
    expect(await list()).toMatchObject([
      { name: 'prod', host: 'db1.example', port: 3307, user: 'backup', ssh: null },
    ])
    const bare = await list({ SFDB_PROFILE_KEY: undefined })
    expect(bare[0]).toEqual(expect.objectContaining({ name: 'prod' }))
    expect(bare[0]?.host).toBeUndefined()
  })

  it('edit changes only the given fields, keeps the password and the 0600 mode', async () => {
    const run = await runCli(['profile', 'edit', 'prod', '--host', 'db2.example'], { env })
    expect(run.code, run.stderr).toBe(0)
    expect(await list()).toMatchObject([{ name: 'prod', host: 'db2.example', port: 3307, user: 'backup' }])
    const shown = await runCli(['profile', 'show', 'prod', '--json'], { env })
    expect(JSON.parse(shown.stdout)).toMatchObject({ password: '********' })
    expect((await stat(join(dir(), 'prod.cnf.enc'))).mode & 0o777).toBe(0o600)
    expect((await readdir(dir())).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('clone copies under a new name and refuses to overwrite', async () => {
    expect((await runCli(['profile', 'clone', 'prod', 'prod-copy'], { env })).code).toBe(0)
    const again = await runCli(['profile', 'clone', 'prod', 'prod-copy'], { env })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('[ProfileExists]')
    expect((await list()).map((r) => r.name)).toEqual(['prod', 'prod-copy'])
  })

  it('delete needs --yes without a terminal, and removes only that profile', async () => {
    const refused = await runCli(['profile', 'delete', 'prod-copy'], { env })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--yes')
    expect((await runCli(['profile', 'delete', 'prod-copy', '--yes'], { env })).code).toBe(0)
    expect((await list()).map((r) => r.name)).toEqual(['prod'])
    const missing = await runCli(['profile', 'delete', 'nope', '--yes'], { env })
    expect(missing.stderr).toContain('[ProfileNotFound]')
  })

  it('import reads sfDBTools profiles of every version with their own key and stores them under ours', async () => {
    const manifest = JSON.parse(await readFile(join(VECTORS, 'manifest.json'), 'utf8')) as {
      vectors: { name: string; kind: string; passphrase: string }[]
    }
    for (const v of manifest.vectors.filter((x) => x.kind === 'profile')) {
      const source = join(sandbox.tmp, v.name)
      await copyFile(join(VECTORS, v.name), source)
      const before = await readFile(source)
      const run = await runCli(['profile', 'import', source, '--name', `imp-${v.name.slice(0, 2)}`], {
        env: { ...env, SFDB_IMPORT_PROFILE_KEY: v.passphrase },
      })
      expect(run.code, run.stderr).toBe(0)
      expect(await readFile(source)).toEqual(before) // the source is never rewritten
      const shown = await runCli(['profile', 'show', `imp-${v.name.slice(0, 2)}`, '--json'], { env })
      expect(shown.code, shown.stderr).toBe(0)
      expect(JSON.parse(shown.stdout)).toMatchObject({ format: 'single-shot-600k' }) // now in the current format
    }
    const clash = await runCli(
      ['profile', 'import', join(sandbox.tmp, 'v3_profile_dev-mariadb.cnf.enc'), '--name', 'prod'],
      {
        env: {
          ...env,
          SFDB_IMPORT_PROFILE_KEY:
            manifest.vectors.find((x) => x.name === 'v3_profile_dev-mariadb.cnf.enc')?.passphrase ?? '',
        },
      },
    )
    expect(clash.code).toBe(1)
    expect(clash.stderr).toContain('[ProfileExists]')
    expect(clash.stderr).toContain('--force')
    expect((await list()).find((r) => r.name === 'prod')?.host).toBe('db2.example') // untouched
  })

  it('a wrong import key is WrongKey and writes nothing', async () => {
    const before = await readdir(dir())
    const run = await runCli(
      ['profile', 'import', join(VECTORS, 'v1_profile_100k_old-profile.cnf.enc'), '--name', 'x'],
      {
        env: { ...env, SFDB_IMPORT_PROFILE_KEY: 'wrong' },
      },
    )
    expect(run.stderr).toContain('[WrongKey]')
    expect(await readdir(dir())).toEqual(before)
  })
})

describe('damaged profile files get a specific error and are never rewritten', () => {
  it.each([
    ['truncated', (good: Buffer) => good.subarray(0, 40), 'CorruptFile'],
    ['empty', () => Buffer.alloc(0), 'CorruptFile'],
    ['not a profile', () => Buffer.from('hello, this is not a profile at all'), 'WrongKey'],
    [
      'one byte flipped',
      (good: Buffer) =>
        Buffer.concat([good.subarray(0, 50), Buffer.from([(good[50] ?? 0) ^ 1]), good.subarray(51)]),
      'WrongKey',
    ],
  ] as const)('%s → %s', async (_what, damage, code) => {
    const sandbox = await cliSandbox()
    const env = { ...sandbox.env, SFDB_PROFILE_KEY: 'k' }
    await runCli(['profile', 'create', '--name', 'good', '--host', 'h', '--user', 'u', '--password-stdin'], {
      env,
      input: 'pw\n',
    })
    const dir = join(sandbox.configDir, 'database_profile')
    const bad = damage(await readFile(join(dir, 'good.cnf.enc')))
    await writeFile(join(dir, 'bad.cnf.enc'), bad)
    for (const args of [
      ['profile', 'show', 'bad'],
      ['profile', 'edit', 'bad', '--host', 'x'],
      ['profile', 'test', 'bad'],
    ]) {
      const run = await runCli(args, { env })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`[${code}]`)
      expect(run.stderr).toContain('bad')
    }
    expect(await readFile(join(dir, 'bad.cnf.enc'))).toEqual(bad)
  })
})

describe('profile create on a terminal', () => {
  it('asks for what the flags leave out, the password and the key hidden', async () => {
    const sandbox = await cliSandbox()
    // name, host, port (empty: the default), user, password, profile key, repeat
    const typed = 'wiz\rdb3.example\r\rops\rpw-Secret\rkey-1\rkey-1\r'
    const run = await runCliInTerminal(['profile', 'create'], {
      env: { ...sandbox.env, SFDB_PROFILE_KEY: undefined },
      typed,
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain('Profile name: wiz')
    expect(run.stdout).toContain('Port [3306]:')
    expect(run.stdout).not.toContain('pw-Secret')
    expect(run.stdout).not.toContain('key-1')
    const shown = await runCli(['profile', 'show', 'wiz', '--json'], {
      env: { ...sandbox.env, SFDB_PROFILE_KEY: 'key-1' },
    })
    expect(JSON.parse(shown.stdout)).toMatchObject({
      host: 'db3.example',
      port: 3306,
      user: 'ops',
      password: '********',
    })
  })
})
