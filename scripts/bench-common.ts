/** What the benchmarks share: a CLI profile for the private server, and the median of the runs. */
import { spawn } from 'node:child_process'
import { CLI } from '../test/harness/cli.ts'
import type { PrivateServer } from '../test/harness/mariadb.ts'

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

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
