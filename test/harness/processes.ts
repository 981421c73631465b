/** Looking at the machine's processes the way another local user could (Linux /proc). */
import { readdir, readFile } from 'node:fs/promises'

export interface ProcessEntry {
  pid: number
  ppid: number
  /** Its process group: what a terminal's Ctrl-C (or kill -INT -pgid) reaches as a whole. */
  pgid: number
  argv: string[]
}

export async function listProcesses(): Promise<ProcessEntry[]> {
  const out: ProcessEntry[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`)
      const status = await readFile(`/proc/${name}/stat`, 'utf8')
      const [, ppid, pgid] = status.slice(status.lastIndexOf(')') + 2).split(' ')
      out.push({
        pid: Number(name),
        ppid: Number(ppid),
        pgid: Number(pgid),
        argv: cmdline.toString('utf8').split('\0').filter(Boolean),
      })
    } catch {
      // the process ended while we looked
    }
  }
  return out
}

/** All descendants of `pid`. */
export async function descendants(pid: number): Promise<ProcessEntry[]> {
  const all = await listProcesses()
  const found: ProcessEntry[] = []
  let frontier = [pid]
  while (frontier.length) {
    const next = all.filter((p) => frontier.includes(p.ppid))
    found.push(...next)
    frontier = next.map((p) => p.pid)
  }
  return found
}

/**
 * Polls `probe` until it gives a truthy value (or throws after `timeoutMs`). Only for a condition that stays
 * true once reached — a server up, a session gone, the dump waiting on a lock — never to catch a passing
 * moment (a process "while it runs"): for that, tests stop the dump where they want it (fake-dump.ts).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
