/**
 * The dry-run view of a planned backup, built once for every surface: the CLI prints it (`backup --dry-run`,
 * `--json` as is) and the app shows it as the wizard's last step. Companions are decided per file, from its
 * own target.
 */
import type { BackupPlanView } from '../../../shared/backup-types.ts'
import type { PlannedBackup } from './plan-backup.ts'

export function toPlanView(planned: PlannedBackup): BackupPlanView {
  const { plan, server } = planned
  const grants = plan.targets[0]?.grants ?? 'none'
  return {
    mode: plan.mode,
    backupType: plan.backupType,
    ticket: plan.ticket,
    profile: plan.profileName,
    server: { hostname: server.hostname, flavor: server.flavor, version: server.versionString },
    outputDir: plan.outputDir,
    files: planned.files.map((f) => ({
      file: f.path,
      databases: f.databases.map((d) => ({
        name: d.name,
        sizeBytes: d.sizeBytes,
        tables: d.tables,
        rows: d.rows,
      })),
      estimatedSqlBytes: f.estimatedBytes,
      companions: [
        `${f.path}.meta.json`,
        ...(f.usersFile ? [`${f.path}.users.sql`] : []),
        ...(planned.gtidFiles ? [`${f.path}.gtid`] : []),
      ],
      ...(f.tableRules
        ? {
            tables: Object.entries(f.tableRules).map(([database, r]) => ({
              database,
              excluded: r.ignore,
              structureOnly: r.structureOnly,
              dataOnly: r.dataOnly,
              ...(r.include ? { included: r.include } : {}),
            })),
          }
        : {}),
    })),
    excluded: planned.excluded,
    unknown: planned.unknown,
    estimatedOutputBytes: planned.estimatedOutputBytes,
    ...(planned.estimate ? { estimate: planned.estimate } : {}),
    options: {
      compression: plan.compression,
      encrypted: plan.encryptionKey !== null,
      excludeData: plan.excludeData,
      grants,
      captureGtid: plan.captureGtid,
      parallel: plan.parallel,
      cleanup: plan.cleanup,
      namePattern: planned.namePattern,
    },
    dump: planned.dump,
    warnings: planned.warnings,
  }
}
