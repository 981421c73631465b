/**
 * What the packed app (resources/app.asar and app.asar.unpacked) must and must not hold — a pure function of
 * the archive's listing, the build output, package.json and package-lock.json, so a unit test can feed it a
 * broken listing (test/unit/package/package-layout.test.ts) and the package check the real one
 * (test/package/packed-app.test.ts).
 */
import { getRawHeader } from '@electron/asar'

export interface PackedFile {
  /** Path inside the archive, with a leading slash: `/out/main/cli.js`. */
  path: string
  /** Stored in app.asar.unpacked instead of the archive. */
  unpacked: boolean
}

interface HeaderNode {
  files?: Record<string, HeaderNode>
  unpacked?: boolean
  link?: string
}

/** Every file (not folder) of an archive, from its header. */
export function listArchive(archive: string): PackedFile[] {
  const files: PackedFile[] = []
  const walk = (node: HeaderNode, path: string): void => {
    if (node.files === undefined) return void files.push({ path, unpacked: node.unpacked === true })
    for (const [name, child] of Object.entries(node.files)) walk(child, `${path}/${name}`)
  }
  walk(getRawHeader(archive).header as HeaderNode, '')
  return files
}

interface LockEntry {
  dev?: boolean
  optional?: boolean
  dependencies?: Record<string, string>
}

export interface LayoutInput {
  files: PackedFile[]
  /** Files under app.asar.unpacked on disk, archive-style paths (`/node_modules/x/y.node`). */
  unpackedOnDisk: string[]
  /** The build output (out/), archive-style paths (`/out/main/cli.js`). */
  built: string[]
  /** package.json's dependencies. */
  dependencies: Record<string, string>
  /** package-lock.json's "packages". */
  lock: Record<string, LockEntry>
  /** Dependencies electron-vite bundles into out/main (not needed in node_modules). */
  bundled: readonly string[]
  /** Dependencies needed only to compile a native addon (headers), left out on purpose. */
  buildOnly: readonly string[]
  /** The platform and arch packed: linux-x64 … */
  platform: string
  arch: string
}

/** The app's own entries: the main process, preload, window, job process and CLI. */
export const ENTRIES = [
  '/package.json',
  '/out/main/index.js',
  '/out/main/backup-job.js',
  '/out/main/cli.js',
  '/out/preload/index.cjs',
  '/out/renderer/index.html',
]

const FORBIDDEN_TOP = new Set([
  'electron',
  'renderer',
  'shared',
  'test',
  'scripts',
  'docs',
  'bin',
  'resources',
  'src',
])

/** The installed packages a packed runtime dependency needs: itself and its dependencies, recursively. */
export function runtimeClosure(
  roots: string[],
  lock: Record<string, LockEntry>,
  buildOnly: readonly string[] = [],
): Set<string> {
  const needed = new Set<string>()
  const visit = (name: string): void => {
    if (needed.has(name) || buildOnly.includes(name)) return
    const entry = lock[`node_modules/${name}`]
    if (entry === undefined) return
    needed.add(name)
    for (const dependency of Object.keys(entry.dependencies ?? {})) visit(dependency)
  }
  roots.forEach(visit)
  return needed
}

/** Every problem of the layout, in words; empty when it is right. */
export function layoutProblems(input: LayoutInput): string[] {
  const problems: string[] = []
  const paths = new Set(input.files.map((f) => f.path))
  const packageOf = (path: string): string | null => {
    const m = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)
    return m ? (m[1] ?? null) : null
  }
  const packages = new Set(input.files.map((f) => packageOf(f.path)).filter((p): p is string => p !== null))

  for (const entry of ENTRIES) if (!paths.has(entry)) problems.push(`missing ${entry}`)
  for (const file of input.built)
    if (!file.endsWith('.map') && !paths.has(file)) problems.push(`missing built file ${file}`)
  if (!input.files.some((f) => /^\/out\/renderer\/assets\/.+\.js$/.test(f.path)))
    problems.push('missing the renderer bundle (/out/renderer/assets/*.js)')

  for (const { path } of input.files) {
    const top = path.split('/')[1] ?? ''
    if (FORBIDDEN_TOP.has(top) || top.startsWith('.') || (top.includes('.') && top !== 'package.json'))
      problems.push(`not for the package: ${path}`)
    if (/\.(map|ts|mts|cts|tsx)$/.test(path)) problems.push(`source or source map packed: ${path}`)
  }

  const roots = Object.keys(input.dependencies).filter((d) => !input.bundled.includes(d))
  for (const name of runtimeClosure(roots, input.lock, input.buildOnly))
    if (!paths.has(`/node_modules/${name}/package.json`)) problems.push(`missing runtime dependency ${name}`)
  for (const name of packages) {
    const entry = input.lock[`node_modules/${name}`]
    if (entry?.dev === true) problems.push(`devDependency packed: ${name}`)
    if (entry === undefined) problems.push(`package not in package-lock.json: ${name}`)
  }

  const onDisk = new Set(input.unpackedOnDisk)
  const natives = input.files.filter((f) => f.path.endsWith('.node'))
  for (const f of natives) {
    if (!f.unpacked) problems.push(`native addon inside app.asar (cannot be loaded): ${f.path}`)
    else if (!onDisk.has(f.path)) problems.push(`native addon missing from app.asar.unpacked: ${f.path}`)
  }
  const target = `${input.platform}-${input.arch}`
  if (!natives.some((f) => f.path.startsWith(`/node_modules/lzma-native/prebuilds/${target}/`)))
    problems.push(`missing lzma-native's prebuild for ${target}`)
  if (!natives.some((f) => f.path.startsWith(`/node_modules/@napi-rs/keyring-${target}`)))
    problems.push(`missing the keyring's addon for ${target}`)
  for (const f of natives)
    if (f.path.includes('/prebuilds/') && !f.path.includes(`/prebuilds/${target}/`))
      problems.push(`another platform's prebuild packed: ${f.path}`)
  return problems
}
