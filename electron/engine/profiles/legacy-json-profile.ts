import { EngineError } from '../errors.ts'
import type { ProfileData } from './profile-ini.ts'

/**
 * The predecessor sfDBTools (Aug–Oct 2025, container L0b) stored a profile as JSON
 * `{"host","port","user","password"}` instead of INI (reference §1.6). Missing fields read as empty / 0,
 * like the INI reader; a field of the wrong type makes the profile invalid rather than guessed.
 */
export function parseLegacyJsonProfile(text: string): ProfileData {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new EngineError(
      'InvalidProfile',
      'the profile looks like JSON (an old sfDBTools profile) but does not parse',
    )
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EngineError('InvalidProfile', 'the JSON profile is not an object')
  }
  const fields = body as Record<string, unknown>
  return {
    host: stringField(fields, 'host'),
    port: portField(fields.port),
    user: stringField(fields, 'user'),
    password: stringField(fields, 'password'),
  }
}

function stringField(fields: Record<string, unknown>, name: string): string {
  const v = fields[name]
  if (v === undefined || v === null) return ''
  if (typeof v !== 'string')
    throw new EngineError('InvalidProfile', `the JSON profile's "${name}" is not a string`)
  return v
}

function portField(v: unknown): number {
  if (v === undefined || v === null) return 0
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new EngineError(
      'InvalidProfile',
      `the JSON profile's "port" is not a port number: ${JSON.stringify(v)}`,
    )
  }
  return n
}
