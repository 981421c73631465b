import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Document, Node, Pair } from 'yaml'
import { EngineError } from '../errors.ts'

/** A parsed YAML file that can answer "what is at this key, and on which line". */
export interface YamlSource {
  doc: Document
  lines: LineCounter
  /** The file's path, for messages. */
  path: string
}

/** A value found at a key path, with the 1-based line of its key (or of the list item). */
export interface Located {
  value: unknown
  line: number
}

export type KeyPath = readonly (string | number)[]

/** `backup.exclude.databases[2]` */
export const dotted = (path: KeyPath): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '')

const lineAt = (src: YamlSource, offset: number | undefined): number =>
  offset === undefined ? 1 : Math.max(1, src.lines.linePos(offset).line)

/**
 * Parses YAML text. Syntax errors are reported with line:column, but never with the offending text:
 * a line of a config file may hold a key.
 * @throws EngineError('InvalidConfig') listing every syntax error, or for aliases that expand without bound.
 */
export function parseYaml(text: string, path: string): YamlSource {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const { line, col } = lines.linePos(e.pos[0])
      // The library's own text ends with its own position; keep only the description.
      const what = (e.message.split('\n')[0] ?? e.code).replace(/ at line \d+, column \d+:?$/, '')
      return `${path}:${Math.max(1, line)}:${col}: ${what}`
    })
    throw new EngineError('InvalidConfig', `invalid YAML in config file ${problems[0]}`, {
      detail: problems.join('\n'),
    })
  }
  try {
    // Every value is read through the aliases it uses: a file whose aliases expand without bound (an "alias
    // bomb") is refused once, here, instead of failing wherever a value is read.
    doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    throw new EngineError(
      'InvalidConfig',
      `config file ${path}: its aliases (*name) expand too far to be read (${(e as Error).message}); write the values out`,
    )
  }
  return { doc, lines, path }
}

const deref = (src: YamlSource, node: unknown): unknown => (isAlias(node) ? node.resolve(src.doc) : node)

const keyName = (pair: Pair): string | undefined =>
  isScalar(pair.key) && pair.key.value !== null && pair.key.value !== undefined
    ? String(pair.key.value)
    : undefined

/** The node at `path`, matching keys case-insensitively (as viper does for sfDBTools), and its line. */
function nodeAt(src: YamlSource, path: KeyPath): { node: unknown; line: number } | undefined {
  let node: unknown = deref(src, src.doc.contents)
  let line = 1
  for (const part of path) {
    if (typeof part === 'number') {
      if (!isSeq(node)) return undefined
      const item: unknown = node.items[part]
      if (item === undefined) return undefined
      line = lineAt(src, isNode(item) ? item.range?.[0] : undefined)
      node = deref(src, item)
      continue
    }
    if (!isMap(node)) return undefined
    const pair = node.items.find((p) => keyName(p)?.toLowerCase() === part)
    if (pair === undefined) return undefined
    line = lineAt(src, isNode(pair.key) ? pair.key.range?.[0] : undefined)
    node = deref(src, pair.value)
  }
  return { node, line }
}

/** The plain JS value at `path` (null for an empty value), or undefined when the key is not there. */
export function valueAt(src: YamlSource, path: KeyPath): Located | undefined {
  const found = nodeAt(src, path)
  if (found === undefined) return undefined
  const value: unknown = isNode(found.node) ? (found.node as Node).toJS(src.doc) : found.node
  return { value: value ?? null, line: found.line }
}

/** The keys of the mapping at `path` as written, with their lines; undefined when it is no mapping. */
export function mapKeys(src: YamlSource, path: KeyPath): { key: string; line: number }[] | undefined {
  const found = path.length === 0 ? { node: deref(src, src.doc.contents) } : nodeAt(src, path)
  if (found === undefined || !isMap(found.node)) return undefined
  return found.node.items.flatMap((p) => {
    const key = keyName(p)
    return key === undefined ? [] : [{ key, line: lineAt(src, isNode(p.key) ? p.key.range?.[0] : undefined) }]
  })
}
