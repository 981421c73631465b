import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A usage error: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

type Options = NonNullable<ParseArgsConfig['options']>

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

/** Strict flag parsing: an unknown flag or a missing value is a usage error naming the flag. */
export function parseFlags(argv: string[], options: Options, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals })
    return { values: values as Parsed['values'], positionals }
  } catch (e) {
    const msg = (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')
    throw new UsageError(msg.split('\n')[0] ?? msg)
  }
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name]
  return typeof v === 'string' ? v : undefined
}

export const bool = (p: Parsed, name: string): boolean => p.values[name] === true

/** Every value of repeatable flags (`multiple: true`), over several spellings, in order. */
export const list = (p: Parsed, ...names: string[]): string[] =>
  names.flatMap((n) => {
    const v = p.values[n]
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
  })

export function required(p: Parsed, name: string, hint = ''): string {
  const v = str(p, name)
  if (v === undefined || v.trim() === '')
    throw new UsageError(`--${name} is required${hint ? ` (${hint})` : ''}`)
  return v
}

export function intFlag(p: Parsed, name: string): number | undefined {
  const v = str(p, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, got '${v}'`)
  return Number(v)
}
