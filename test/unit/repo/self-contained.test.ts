/**
 * The repository stands alone: no file may reach a `shared` folder outside the checkout (the project once
 * read its test vectors and documents from a folder beside it, which a fresh clone does not have).
 *
 * Relative paths are resolved the way they are used: against the file's own folder (imports, `new URL`,
 * `resolve(import.meta.dirname, …)`, Markdown links), or against the repository root when a root variable
 * comes first (`join(ROOT, '<path>')`, `${ROOT}/<path>`). Only those that land outside the root are
 * flagged, so the imports of the repository's own shared/ folder pass. Segment lists (`join(ROOT, <dots>,
 * 'shared')`) count their parent steps from the root unless they start at the file's folder. The names of
 * the old sibling folder's content (its vectors, reference, notes, architecture and style documents) are
 * flagged wherever they follow `shared/`, unless the repository's own shared/ really holds them.
 *
 * The samples below are assembled at run time, so this file's own text holds none of the patterns.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

interface OutsideReference {
  file: string
  line: number
  text: string
  /** Where the reference leads (absolute), or the reason it is flagged. */
  target: string
}

// Written without a literal "dot-dot-slash" so that this file never matches its own patterns.
const DOTS = '\\.\\.'
/** A run of path characters holding at least one parent step (two dots and a slash). */
const PATH_TOKEN = new RegExp(`[\\w.@~/-]*${DOTS}/[\\w.@~/-]*`, 'g')
/** Quoted parent steps, then the quoted name `shared`: a join/resolve segment list that climbs into it. */
const SEGMENT_LIST = new RegExp(`((?:['"\`]${DOTS}['"\`]\\s*,\\s*)+)['"\`]shared['"\`]`, 'g')
/** The content of the old sibling folder, which the repository's own shared/ does not hold. */
const SIBLING_NAMES =
  /(?<![\w@.-])shared\/(vectors|reference|notes|hooks|architecture\.md|style\.md)(?![\w.-])/g
/** Right before a path that is taken from the repository root: `ROOT, '`, `${ROOT}/`, `ROOT + '/`. */
const ROOT_BASE =
  /(?:\b(?:ROOT|REPO_ROOT|repoRoot|projectRoot|rootDir|root)\b|process\.cwd\(\))\s*(?:,\s*['"`]|\}\/|\+\s*['"`]\/?)$/
/** Right before a segment list that starts at the file's own folder. */
const FILE_BASE = /(?:import\.meta\.dirname|__dirname)\s*,\s*$/

const isOutside = (path: string): boolean => {
  const rel = relative(ROOT, path)
  return rel === '..' || rel.startsWith(`..${sep}`) || resolve(ROOT, rel) !== path
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length

/** Every reference in `text` (the content of `file`, relative to the root) that leads out of the repository. */
function findOutsideReferences(file: string, text: string): OutsideReference[] {
  const found: OutsideReference[] = []
  const fileDir = dirname(join(ROOT, file))
  const report = (index: number, snippet: string, target: string): void => {
    found.push({ file, line: lineOf(text, index), text: snippet, target })
  }

  for (const m of text.matchAll(PATH_TOKEN)) {
    const token = m[0]
    if (!token.split('/').includes('shared')) continue
    const before = text.slice(Math.max(0, m.index - 80), m.index)
    const base = token.startsWith('/') ? '/' : ROOT_BASE.test(before) ? ROOT : fileDir
    const target = resolve(base, token)
    if (isOutside(target)) report(m.index, token, target)
  }

  for (const m of text.matchAll(SEGMENT_LIST)) {
    const steps = (m[1] ?? '').split(',').filter((s) => s.trim() !== '').length
    const before = text.slice(Math.max(0, m.index - 80), m.index)
    const base = FILE_BASE.test(before) ? fileDir : ROOT
    const target = resolve(base, ...Array<string>(steps).fill('..'), 'shared')
    if (isOutside(target)) report(m.index, m[0].replace(/\s+/g, ' '), target)
  }

  const ownShared = new Set(readdirSync(join(ROOT, 'shared')))
  for (const m of text.matchAll(SIBLING_NAMES)) {
    if (ownShared.has(m[1] ?? '')) continue
    report(m.index, m[0], `not in this repository's shared/ (the old folder beside the checkout)`)
  }
  return found
}

/** Folders never scanned at any depth, besides what .gitignore names. */
const NEVER = new Set(['.git', 'node_modules'])

/** The simple .gitignore forms this repository uses: `name/`, `name`, `*.ext`. */
function ignoreRules(): { names: Set<string>; suffixes: string[] } {
  const lines = readFileSync(join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
  return {
    names: new Set(lines.filter((l) => !l.startsWith('*')).map((l) => l.replace(/^\/|\/$/g, ''))),
    suffixes: lines.filter((l) => l.startsWith('*')).map((l) => l.slice(1)),
  }
}

/** Every text file of the project (relative paths): the whole tree minus ignored and binary files. */
function projectTextFiles(): string[] {
  const { names, suffixes } = ignoreRules()
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      const rel = relative(ROOT, path).split(sep).join('/')
      if (NEVER.has(entry.name) || names.has(rel) || suffixes.some((s) => entry.name.endsWith(s))) continue
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && !readFileSync(path).includes(0)) files.push(rel)
    }
  }
  walk(ROOT)
  return files.sort()
}

describe('the repository stands alone', () => {
  const S = 'shared'
  const up = (n: number): string => '..'.concat('/').repeat(n)
  const segments = (n: number): string => Array<string>(n).fill(`'..'`).concat(`'${S}'`).join(', ')

  it.each([
    ['test/unit/crypto/vectors.ts', `resolve(import.meta.dirname, '${up(4)}${S}/vectors/sfdbtools')`],
    ['test/integration/verify-decrypt.test.ts', `const V = join(ROOT, ${segments(1)}, 'vectors')`],
    ['test/harness/cli.ts', `const V = join(ROOT, '${up(1)}${S}/vectors')`],
    ['test/harness/cli.ts', `const V = \`\${ROOT}/${up(1)}${S}/vectors\``],
    ['test/e2e/harness/paths.ts', `join(import.meta.dirname, ${segments(4)})`],
    ['README.md', `Layout (see \`${up(1)}${S}/architecture.md\`)`],
    ['eslint.config.js', `// the layers of ${S}/architecture.md`],
    ['renderer/src/lib/api.ts', `import x from '${up(4)}${S}/ipc.ts'`],
  ])('flags a way out of the repository: %s', (file, text) => {
    expect(findOutsideReferences(file, text)).not.toEqual([])
  })

  it.each([
    ['renderer/src/pages/jobs/JobCard.tsx', `import type { A } from '${up(4)}${S}/result.ts'`],
    ['electron/cli/index.ts', `import { APP_VERSION } from '${up(2)}${S}/app-version.ts'`],
    ['test/unit/crypto/vectors.ts', `resolve(import.meta.dirname, '${up(2)}fixtures/sfdbtools')`],
    ['test/e2e/harness/paths.ts', `join(import.meta.dirname, ${segments(3)}, 'ipc.ts')`],
    ['docs/architecture.md', `[the contract](${up(1)}${S}/ipc.ts)`],
    ['scripts/test.sh', `cd "$(dirname "\${BASH_SOURCE[0]}")/.."`],
  ])('lets a path inside the repository pass: %s', (file, text) => {
    expect(findOutsideReferences(file, text)).toEqual([])
  })

  it('no project file reaches a shared folder outside the checkout', () => {
    const files = projectTextFiles()
    // The scan really covers the project (never vacuous).
    for (const f of ['README.md', 'eslint.config.js', 'test/unit/crypto/vectors.ts', 'shared/ipc.ts'])
      expect(files).toContain(f)
    for (const top of ['electron/', 'renderer/', 'shared/', 'scripts/', 'test/', 'bin/', 'docs/'])
      expect(
        files.some((f) => f.startsWith(top)),
        top,
      ).toBe(true)
    expect(files.some((f) => f.startsWith('node_modules/') || f.startsWith('out/'))).toBe(false)

    const found = files.flatMap((f) => findOutsideReferences(f, readFileSync(join(ROOT, f), 'utf8')))
    expect(found.map((r) => `${r.file}:${r.line}: ${r.text} → ${r.target}`)).toEqual([])
  })
})
