import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  destinationsFileSchema,
  destinationSchema,
  type Destination,
  type DestinationsFile,
} from '../../../shared/destination.ts'
import { advice, EngineError, errno } from '../errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'

export const DESTINATIONS_FILE = 'destinations.json'

export const destinationsPath = (configDir: string): string => join(configDir, DESTINATIONS_FILE)

/** The configured destinations (none when the file does not exist). */
export async function loadDestinations(configDir: string): Promise<Destination[]> {
  const path = destinationsPath(configDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return []
    throw new EngineError('InvalidConfig', `cannot read ${path}: ${(e as Error).message}`, { cause: e })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new EngineError('InvalidConfig', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e })
  }
  const parsed = destinationsFileSchema.safeParse(json)
  if (!parsed.success)
    throw new EngineError('InvalidConfig', `${path} does not hold valid destinations`, {
      detail: parsed.error.message,
    })
  return parsed.data.destinations
}

/** Writes every destination: 0600, atomically (temp file, fsync, rename). */
export async function saveDestinations(configDir: string, destinations: Destination[]): Promise<void> {
  const file: DestinationsFile = { version: 1, destinations }
  await writeFileAtomic(destinationsPath(configDir), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 })
}

/** Adds a destination, or replaces the one of the same name. */
export async function putDestination(configDir: string, destination: Destination): Promise<void> {
  const checked = destinationSchema.safeParse(destination)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    throw new EngineError('InvalidInput', `invalid destination: ${field}${issue?.message ?? ''}`)
  }
  const all = (await loadDestinations(configDir)).filter((d) => d.name !== destination.name)
  await saveDestinations(configDir, [...all, checked.data])
}

/** Removes a destination; false when there was none of that name. */
export async function removeDestination(configDir: string, name: string): Promise<boolean> {
  const all = await loadDestinations(configDir)
  const kept = all.filter((d) => d.name !== name)
  if (kept.length === all.length) return false
  await saveDestinations(configDir, kept)
  return true
}

/** The destinations of these names, in order; an unknown name is an error. */
export async function findDestinations(configDir: string, names: string[]): Promise<Destination[]> {
  const all = await loadDestinations(configDir)
  return names.map((name) => {
    const found = all.find((d) => d.name === name)
    if (!found)
      throw new EngineError('InvalidInput', `no offsite destination named ${JSON.stringify(name)}`, {
        advice: advice('copyUnknownDestination', { destination: name }),
      })
    return found
  })
}
