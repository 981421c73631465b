/**
 * A preset's backup request (the app's New-backup choice, shared/ipc.ts) as the arguments of
 * `sfdbtools backup`: a scheduled run is a normal command-line backup of the preset, its stored ticket
 * included. Every value is given as `--flag=value`, so a value that starts with '-' stays a value.
 */
import type { QuickBackupPreset } from '../../../shared/ipc.ts'

/**
 * The preset's request, plus where its files are copied (`copyTo` of the preset and of its request:
 * `--copy-to`) and who hears of the run (`notify`: `--notify`, `--notify-on`).
 */
export function presetBackupArgv(preset: Pick<QuickBackupPreset, 'request' | 'copyTo' | 'notify'>): string[] {
  const r = preset.request
  const flag = (name: string, value: string | number): string => `--${name}=${value}`
  const many = (name: string, values: readonly string[] | undefined): string[] =>
    (values ?? []).map((v) => flag(name, v))
  const tables = Object.entries(r.tables ?? {}).flatMap(([db, rules]) => [
    ...many(
      'include-table',
      rules.include?.map((t) => `${db}.${t}`),
    ),
    ...many(
      'exclude-table',
      rules.exclude?.map((t) => `${db}.${t}`),
    ),
    ...many(
      'structure-only',
      rules.structureOnly?.map((t) => `${db}.${t}`),
    ),
    ...many(
      'data-only',
      rules.dataOnly?.map((t) => `${db}.${t}`),
    ),
  ])
  return [
    r.mode,
    flag('profile', r.profile),
    flag('ticket', r.ticket),
    ...(r.mode === 'filter' && r.filterMode ? [flag('mode', r.filterMode)] : []),
    ...(r.mode === 'single' || r.mode === 'filter' ? many('db', r.databases) : []),
    ...r.companions.map((c) => `--include-${c.slice(1)}`),
    ...many('exclude-db', r.excludeDatabases),
    r.excludeSystem ? '--exclude-system' : '--include-system',
    ...(r.excludeEmpty ? ['--exclude-empty'] : []),
    ...(r.excludeData ? ['--exclude-data'] : []),
    ...(r.excludeUser ? ['--exclude-user'] : []),
    ...(r.captureGtid ? ['--capture-gtid'] : []),
    flag('compress-type', r.compression.type),
    ...(r.compression.type === 'none' ? [] : [flag('compress-level', r.compression.level)]),
    r.encrypt ? '--encryption' : '--no-encrypt',
    flag('output-dir', r.outputDir),
    flag('name-pattern', r.namePattern),
    flag('parallel', r.parallel),
    ...(r.prefix !== undefined ? [flag('prefix', r.prefix)] : []),
    ...(r.clientCode ? [flag('client-code', r.clientCode)] : []),
    ...(r.instance ? [flag('instance', r.instance)] : []),
    ...tables,
    ...many('dump-arg', r.dumpArgs),
    ...many('copy-to', [...new Set([...(preset.copyTo ?? []), ...(r.copyTo ?? [])])]),
    ...(preset.notify && preset.notify.channels.length > 0
      ? [...many('notify', preset.notify.channels), flag('notify-on', preset.notify.on)]
      : []),
  ]
}
