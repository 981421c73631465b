/**
 * The desktop log file: lines with time and level, size-capped rotation keeping N old files, a folder made
 * on first use, and a log that cannot be written never throwing.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createFileLogger, DESKTOP_LOG_FILE, logDir } from '../../../electron/main/logging/logger.ts'

const scratch = () => mkdtemp(join(tmpdir(), 'sfdb-log-'))
const at = () => new Date('2025-03-04T05:06:07.089Z')

describe('desktop log file', () => {
  it('lives in <config dir>/logs/desktop.log, 0600 in a folder it makes', async () => {
    const config = await scratch()
    const log = createFileLogger({ dir: logDir(config), now: at })
    expect(log.path).toBe(join(config, 'logs', DESKTOP_LOG_FILE))
    log.info('sfDBTools Desktop 0.1.0 starting')
    log.warn('a warning\nwith a second line')
    log.error('IPC handler for history:list failed', new Error('boom'))
    log.log('debug', 'details')
    const text = await readFile(log.path, 'utf8')
    const lines = text.split('\n')
    expect(lines[0]).toBe('2025-03-04T05:06:07.089Z INFO  sfDBTools Desktop 0.1.0 starting')
    expect(lines[1]).toBe('2025-03-04T05:06:07.089Z WARN  a warning')
    expect(lines[2]).toBe('    with a second line')
    expect(lines[3]).toBe('2025-03-04T05:06:07.089Z ERROR IPC handler for history:list failed: Error: boom')
    expect(lines[4]).toMatch(/^ {4,}at /)
    expect(text).toContain('DEBUG details\n')
    expect((await stat(log.path)).mode & 0o777).toBe(0o600)
  })

  it('rotates at the size cap and keeps the newest N old files', async () => {
    const dir = await scratch()
    const log = createFileLogger({ dir, maxBytes: 100, keep: 2, now: at })
    // Each line is 24 + 1 + 5 + 1 + 20 + 1 = 52 bytes: two fit in no file of 100 bytes.
    for (let i = 0; i < 5; i++) log.info(`line ${i} ${'x'.repeat(13)}`)
    expect((await readdir(dir)).sort()).toEqual(['desktop.log', 'desktop.log.1', 'desktop.log.2'])
    const read = (name: string) => readFile(join(dir, name), 'utf8')
    expect(await read('desktop.log')).toContain('line 4')
    expect(await read('desktop.log.1')).toContain('line 3')
    expect(await read('desktop.log.2')).toContain('line 2')
    for (const name of await readdir(dir)) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(100)
  })

  it('continues a file left by the last run, counting its size', async () => {
    const dir = await scratch()
    await writeFile(join(dir, 'desktop.log'), 'x'.repeat(90) + '\n')
    createFileLogger({ dir, maxBytes: 100, keep: 1, now: at }).info('new run')
    expect(await readFile(join(dir, 'desktop.log.1'), 'utf8')).toBe('x'.repeat(90) + '\n')
    expect(await readFile(join(dir, 'desktop.log'), 'utf8')).toContain('new run')
  })

  it('a log that cannot be written is reported once and never throws', async () => {
    const parent = await scratch()
    await mkdir(join(parent, 'ro'))
    await chmod(join(parent, 'ro'), 0o500)
    const complain = vi.spyOn(console, 'error').mockImplementation(() => {})
    const echoed: string[] = []
    const log = createFileLogger({ dir: join(parent, 'ro', 'logs'), echo: (l) => echoed.push(l) })
    // root may write anywhere: then there is nothing to report.
    const root = process.getuid?.() === 0
    expect(() => {
      log.info('one')
      log.info('two')
    }).not.toThrow()
    expect(complain).toHaveBeenCalledTimes(root ? 0 : 1)
    expect(echoed).toHaveLength(2)
    complain.mockRestore()
  })
})
