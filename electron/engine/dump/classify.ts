/**
 * The sfDBTools exit classification (reference §9): exit 0 is success (non-empty stderr = warnings);
 * exit 1 is non-fatal only when stderr shows one of the known harmless messages; everything else is fatal.
 */
export type DumpOutcome = 'ok' | 'warnings' | 'fatal'

const NON_FATAL = [
  "couldn't read keys from table",
  'references invalid table(s) or column(s) or function(s)',
  'definer/invoker of view lack rights',
  'warning:',
  'note:',
]

const FATAL_HINTS = [
  'access denied',
  'unknown database',
  'unknown server',
  "can't connect",
  'connection refused',
  'permission denied',
  'no such file or directory',
]

export function classifyDumpExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): DumpOutcome {
  const text = stderr.trim().toLowerCase()
  if (signal !== null || code === null) return 'fatal'
  if (code === 0) return text ? 'warnings' : 'ok'
  if (code >= 2 || !text) return 'fatal'
  if (FATAL_HINTS.some((h) => text.includes(h))) return 'fatal'
  return NON_FATAL.some((h) => text.includes(h)) ? 'warnings' : 'fatal'
}

/** The kind of failure a DBA should read first, from the dump's stderr. */
export function dumpFailureCode(
  stderr: string,
): 'AuthFailed' | 'UnknownDatabase' | 'ConnectFailed' | 'DumpFailed' {
  const text = stderr.toLowerCase()
  if (text.includes('access denied')) return 'AuthFailed'
  if (text.includes('unknown database')) return 'UnknownDatabase'
  if (
    text.includes("can't connect") ||
    text.includes('connection refused') ||
    text.includes('unknown server')
  )
    return 'ConnectFailed'
  return 'DumpFailed'
}
