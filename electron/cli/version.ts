/**
 * `sfdbtools --version`: the app's version on the first line (what a script reads with `head -1`), then the
 * runtime and the MariaDB/MySQL programs the engine would use, each with its path and version.
 *
 *   sfdbtools 0.1.0
 *   Node.js 24.21.0
 *   dump binary: mariadb-dump 10.11.19 (MariaDB) /usr/bin/mariadb-dump
 *   SQL client: mariadb 10.11.19 (MariaDB) /usr/bin/mariadb
 *
 * Under Electron (the packaged app's CLI, ELECTRON_RUN_AS_NODE) Electron's and Chromium's versions follow
 * Node's.
 */
import type { DetectedProgram, RuntimeVersions } from '../../shared/versions.ts'

const ROLE_LABEL: Record<DetectedProgram['role'], string> = { dump: 'dump binary', client: 'SQL client' }
const FLAVOR_LABEL = { mariadb: 'MariaDB', mysql: 'MySQL' } as const

/** One line per program: name, version and flavor, path; or "not found" naming what was looked for. */
export function programLine(program: DetectedProgram): string {
  const label = ROLE_LABEL[program.role]
  if (program.path === null) {
    const [first, second] = program.candidates
    return `${label}: not found (neither ${first} nor ${second} is on PATH)`
  }
  // Either separator: the text is the same whichever OS printed it.
  const name = (program.path.split(/[\\/]/).pop() ?? program.path).replace(/\.exe$/i, '')
  if (program.version === null) {
    return `${label}: ${name} ${program.path} (version unknown${program.problem ? `: ${program.problem}` : ''})`
  }
  const flavor = program.flavor === null ? '' : ` (${FLAVOR_LABEL[program.flavor]})`
  return `${label}: ${name} ${program.version}${flavor} ${program.path}`
}

/** The whole `--version` text. */
export function versionText(
  appVersion: string,
  runtime: RuntimeVersions,
  programs: readonly DetectedProgram[],
): string {
  return [
    `sfdbtools ${appVersion}`,
    `Node.js ${runtime.node}`,
    ...(runtime.electron === null ? [] : [`Electron ${runtime.electron}`]),
    ...(runtime.chromium === null ? [] : [`Chromium ${runtime.chromium}`]),
    ...programs.map(programLine),
  ].join('\n')
}
