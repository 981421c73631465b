/**
 * The dump binary's standard output in 1 MiB writes instead of 4 KiB ones.
 *
 * mariadb-dump and mysqldump write their SQL through C stdio, whose buffer for a pipe or a file is 4 KiB: a
 * 143 MB dump made ≈ 36,000 write calls, and the reader thread of its FIFO (fifo-reader.ts), faster than the
 * dump, woke for most of them — ≈ 45,000 reads, each with the cost of a JavaScript call. Run through coreutils'
 * `stdbuf -o 1M` (which sets the stdio buffer of the program it starts, then becomes that program: same pid,
 * same arguments after its own), the dump wrote ≈ 1,700 times and the thread read up to a pipe's 64 KiB each
 * time. Measured on 2 cores, 8 interleaved runs of the 143 MB zstd backup: 3.87 → 3.66 CPU-s in all, wall
 * 2.67 → 2.52 s (the shell pipeline: 2.37 s); without compression (the dump writes the file itself) 2.33 →
 * 2.11 CPU-s, wall 2.16 → 1.98 s.
 *
 * Where there is no `stdbuf` (macOS and Windows by default, minimal Linux images) the dump runs as it is. What
 * it adds to the dump's environment is stdbuf's own (`LD_PRELOAD` of its library, `_STDBUF_O`), no secret.
 */
import { platform } from 'node:process'
import { which } from './client-program.ts'

/** What stdbuf sets the dump's stdout buffer to. */
export const DUMP_STDOUT_BUFFER = '1M'

let found: string | null | undefined

/** stdbuf's path on this machine (looked up once per process), or null where there is none. */
export function stdbufPath(pathEnv = process.env.PATH ?? ''): string | null {
  if (found === undefined) found = platform === 'linux' ? which('stdbuf', pathEnv) : null
  return found
}

/** The program and arguments that start `binary` with `args`, its stdout buffered as DUMP_STDOUT_BUFFER. */
export function withBufferedOutput(
  binary: string,
  args: string[],
  stdbuf: string | null = stdbufPath(),
): { program: string; args: string[] } {
  return stdbuf === null
    ? { program: binary, args }
    : { program: stdbuf, args: ['-o', DUMP_STDOUT_BUFFER, binary, ...args] }
}
