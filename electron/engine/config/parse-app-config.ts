import { basename } from 'node:path'
import { compressionLevelRange, DEFAULT_COMPRESSION } from '../codecs/index.ts'
import { EngineError } from '../errors.ts'
import {
  CONFIG_FIELDS,
  emptyAppConfig,
  IGNORED_KEYS,
  OWNED_SECTIONS,
  type AppConfig,
  type ConfigField,
} from './app-config-schema.ts'
import { closestKey } from './closest-key.ts'
import { dotted, mapKeys, parseYaml, valueAt, type YamlSource } from './config-yaml.ts'

/** How a found value is shown in a message: short, and for a secret only its kind. */
function show(value: unknown, secret = false): string {
  if (value === null) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (secret) return typeof value === 'string' ? 'text' : `a ${typeof value}`
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  return String(value)
}

const split = (path: string): string[] => path.split('.')

interface Context {
  src: YamlSource
  /** The file's name, prefixed to every problem: `sfDBTools_config.yaml:7: …`. */
  name: string
  problems: { line: number; text: string }[]
}

const problem = (ctx: Context, line: number, text: string): void => {
  ctx.problems.push({ line, text: `${ctx.name}:${line}: ${text}` })
}

/** A section on the way to a value that is not a mapping (`backup: true`) hides every key below it. */
function checkSections(ctx: Context): void {
  const sections = new Set(CONFIG_FIELDS.flatMap((f) => f.paths.flatMap((p) => prefixes(p))))
  for (const section of sections) {
    const found = valueAt(ctx.src, split(section))
    if (found === undefined || found.value === null) continue
    if (typeof found.value !== 'object' || Array.isArray(found.value))
      problem(ctx, found.line, `${section} must be a mapping (got ${show(found.value)})`)
  }
}

function prefixes(path: string): string[] {
  const parts = split(path)
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'))
}

/** Reads one field from every name it may have; aliases that disagree are an error. */
function readField(ctx: Context, field: ConfigField, config: AppConfig): void {
  const parsed: { path: string; line: number; value: unknown }[] = []
  for (const path of field.paths) {
    const found = valueAt(ctx.src, split(path))
    if (found === undefined || found.value === null) continue
    const result = field.parse(found.value)
    if (result.success) {
      if (result.data !== undefined) parsed.push({ path, line: found.line, value: result.data })
      continue
    }
    const reported = new Set<string>()
    for (const issue of result.error.issues) {
      const sub = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
      const item = sub.length > 0 ? valueAt(ctx.src, [...split(path), ...sub]) : undefined
      const [line, text] =
        item !== undefined
          ? [item.line, `${dotted([...split(path), ...sub])} must be ${field.item ?? field.expected}`]
          : [found.line, `${path} must be ${field.expected}`]
      const got = show(item !== undefined ? item.value : found.value, field.secret)
      if (!reported.has(text)) problem(ctx, line, `${text} (got ${got})`)
      reported.add(text)
    }
  }
  const [first, ...others] = parsed
  if (first === undefined) return
  const differing = others.find((o) => JSON.stringify(o.value) !== JSON.stringify(first.value))
  if (differing !== undefined) {
    const value = (v: unknown): string => (field.secret ? '' : ` (${show(v)})`)
    problem(
      ctx,
      differing.line,
      `${differing.path}${value(differing.value)} and ${first.path}${value(first.value)} on line ${first.line} ` +
        'mean the same setting but differ: keep one of them',
    )
    return
  }
  field.assign(config, first.value)
}

/** zstd goes to 19, the others to 9: known only once the type is. */
function checkLevel(ctx: Context, config: AppConfig): void {
  const { type = DEFAULT_COMPRESSION.type, level } = config.backup.compression
  if (level === undefined || type === 'none') return
  const [min, max] = compressionLevelRange(type)
  if (level >= min && level <= max) return
  const line = valueAt(ctx.src, split('backup.compression.level'))?.line ?? 1
  problem(ctx, line, `backup.compression.level must be an integer ${min}-${max} for ${type} (got ${level})`)
}

/** Unknown keys in the sections we own are most likely typos: name them and the key probably meant. */
function typoWarnings(ctx: Context): string[] {
  const known = [...CONFIG_FIELDS.flatMap((f) => f.paths), ...IGNORED_KEYS]
  const warnings: { line: number; text: string }[] = []
  for (const section of OWNED_SECTIONS) {
    const keys = mapKeys(ctx.src, split(section))
    if (keys === undefined) continue
    const depth = split(section).length
    const children = [
      ...new Set(known.filter((k) => k.startsWith(`${section}.`)).map((k) => split(k)[depth] as string)),
    ]
    for (const { key, line } of keys) {
      if (children.includes(key.toLowerCase())) continue
      const guess = closestKey(key, children)
      const hint =
        guess !== undefined ? `did you mean ${section}.${guess}?` : `known keys: ${children.join(', ')}`
      warnings.push({ line, text: `${ctx.name}:${line}: unknown key ${section}.${key} is ignored (${hint})` })
    }
  }
  return warnings.sort((a, b) => a.line - b.line).map((w) => w.text)
}

/**
 * Parses and checks the text of `sfDBTools_config.yaml`. Unknown keys are fine (sfDBTools' files have
 * many sections we do not use); unknown keys inside the sections we read are warned about as typos.
 * No message ever shows the value of backup.encryption.key.
 * @throws EngineError('InvalidConfig') for invalid YAML (with line:column) or listing every schema
 *   problem (`file:line: key.path must be … (got …)`) in its detail.
 */
export function parseAppConfig(text: string, path: string): { config: AppConfig; warnings: string[] } {
  const ctx: Context = { src: parseYaml(text, path), name: basename(path), problems: [] }
  const config = emptyAppConfig()
  const top = valueAt(ctx.src, [])
  if (
    top !== undefined &&
    top.value !== null &&
    (typeof top.value !== 'object' || Array.isArray(top.value))
  ) {
    problem(ctx, top.line, `the file must be a mapping of sections (got ${show(top.value)})`)
  } else {
    checkSections(ctx)
    for (const field of CONFIG_FIELDS) readField(ctx, field, config)
    checkLevel(ctx, config)
  }
  if (ctx.problems.length > 0) {
    const problems = ctx.problems.sort((a, b) => a.line - b.line).map((p) => p.text)
    const n = problems.length
    throw new EngineError(
      'InvalidConfig',
      `invalid config file ${path}: ${n === 1 ? 'one problem' : `${n} problems`}; first: ${problems[0]}`,
      { detail: problems.join('\n') },
    )
  }
  return { config, warnings: typoWarnings(ctx) }
}
