/**
 * Starts deriving the profile key while the command's code loads. A profile opens with 600,000 rounds of
 * PBKDF2 (≈ 0.3 s, the sfDBTools format), which otherwise begins only after loading, the config and the
 * arguments (≈ 0.3 s more on 2 cores). The derivation runs on the thread pool into the process's key cache
 * (crypto/kdf.ts), where the real open finds it. Speculative and harmless: a guess that is not the profile
 * the command opens (another folder from the config, another key source) only costs CPU; nothing here
 * decides anything, reports anything or keeps the key beyond that cache.
 */
import { readFileSync } from 'node:fs'
import { MAGIC, SALT_LENGTH, ITERATIONS_CURRENT } from '../engine/crypto/container-format.ts'
import { createKeyCache } from '../engine/crypto/kdf.ts'
import { configDir } from '../engine/profiles/config-dir.ts'
import { profileDir, resolveProfileRef } from '../engine/profiles/profile-names.ts'
import { mark } from '../engine/timing.ts'
import { PROFILE_KEY_ENV } from './key-env.ts'

/** The value of `--name V`, `--name=V` or `-n V` in `args`, else undefined. */
function flagValue(args: string[], long: string, short: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === long || a === short) return args[i + 1]
    if (a.startsWith(`${long}=`)) return a.slice(long.length + 1)
  }
  return undefined
}

export function prefetchProfileKey(args: string[], env: Readonly<Record<string, string | undefined>>): void {
  const ref = flagValue(args, '--profile', '-p')
  const typed = flagValue(args, '--profile-key', '-k')?.trim()
  const key = typed || PROFILE_KEY_ENV.map((name) => env[name]).find((v) => v !== undefined && v !== '')
  if (!ref || !key) return
  let path: string
  try {
    path = resolveProfileRef(profileDir(configDir(env as NodeJS.ProcessEnv)), ref)
  } catch {
    return // not a profile reference the command could open: it says so itself
  }
  // Read at once, not with readFile: loading the command blocks the event loop for ≈ 0.2 s, and a callback
  // would start the derivation only after that. The header is the first bytes of a small file.
  let data: Buffer
  try {
    data = readFileSync(path)
  } catch {
    return // the command's own open reports what is wrong
  }
  if (data.length < MAGIC.length + SALT_LENGTH || !data.subarray(0, MAGIC.length).equals(MAGIC)) return
  const salt = Buffer.from(data.subarray(MAGIC.length, MAGIC.length + SALT_LENGTH))
  mark('cli: profile key derivation started')
  createKeyCache(
    key,
    salt,
  )(ITERATIONS_CURRENT).then(
    () => mark('cli: profile key derived'),
    () => {}, // the command's own open reports what is wrong
  )
}
