/**
 * Restores: the Restore wizard's request becomes the engine's RestorePlan — the connection from the target
 * profile, the backup key of an encrypted file (typed in the wizard, else the environment's, the source
 * profile's own or the default one from the keychain), the pre-restore backup to the default output folder
 * with the settings' compression and backup key — whose real dry-run is the wizard's last step and the
 * pre-flight of a start. Started plans and restore tests go to the job supervisor; the History reads the last
 * restore test of each backup.
 */
import { isAbsolute, resolve } from 'node:path'
import type {
  RestoreRequestInput,
  RestoreSourceView,
  RestoreTargetInfo,
  RestoreTestInput,
  Settings,
} from '../../../shared/ipc.ts'
import type { Destination, RemoteBackupFile } from '../../../shared/destination.ts'
import type {
  RemoteBackup,
  RestoreItem,
  RestorePlan,
  RestorePlanView,
  RestoreTestReport,
} from '../../../shared/restore-types.ts'
import type { AppError } from '../../../shared/result.ts'
import { advice, EngineError, toEngineError } from '../../engine/errors.ts'
import { mapMysqlError } from '../../engine/mysql/connection.ts'
import { dataOnlyTestRefusal } from '../../engine/restore/run/data-only.ts'
import { describeBackup, type BackupSource } from '../../engine/restore/run/describe-backup.ts'
import { inspectTargets, withServer } from '../../engine/restore/run/inspect.ts'
import { planRestore } from '../../engine/restore/run/plan-restore.ts'
import { readLastRestoreTest } from '../../engine/restore/run/restore-test.ts'
import { findDestinations } from '../../engine/offsite/destinations.ts'
import { listRemoteBackups } from '../../engine/restore/remote-backups.ts'
import { remoteLabel } from '../../engine/restore/remote-source.ts'
import { withSecret } from '../../engine/offsite/session.ts'
import { appHostKeys, type OffsiteSources } from './offsite-plan.ts'
import type { JobSupervisorApi } from '../jobs/types.ts'
import { logDir } from '../logging/logger.ts'
import type { SharedConfigView } from '../../../shared/ipc.ts'
import { typedKey, type KeyService } from './key-service.ts'
import { APP_HOST_KEY_POLICY, type ProfileEndpoint, type ProfileService } from './profile-service.ts'

export interface RestoreServiceDeps {
  profiles: ProfileService
  keys: KeyService
  settings(): Promise<Settings>
  configDir(): string
  jobs(): JobSupervisorApi
  /** The command line's config file: the log folder and `restore.client.binary`, as the CLI uses them. */
  sharedConfig(): Promise<SharedConfigView>
  /** Offsite destinations (destinations.json, their secrets in the keychain): restores from them. */
  offsite?: OffsiteSources
}

/** The profile whose server (host and port) the backup was made on, or null. */
export function sourceProfileOf(source: BackupSource, endpoints: ProfileEndpoint[]): string | null {
  if (source.host === null) return null
  const host = source.host.toLowerCase()
  const port = source.port ?? 3306
  return endpoints.find((p) => p.host.toLowerCase() === host && p.port === port)?.name ?? null
}

/** Refuses a relative path: the main process has no working folder the user could mean. */
function absoluteFile(file: string, what: string): string {
  if (!isAbsolute(file))
    throw new EngineError('InvalidInput', `the ${what} must be an absolute path, got '${file}'`)
  return resolve(file)
}

/** The wizard's grants choice → the item's grants file and the plan's skipGrants. */
export function grantsOf(
  grants: RestoreRequestInput['grants'],
  source: Pick<BackupSource, 'grantsFile'>,
): { grantsFile: string | null; skipGrants: boolean } {
  if (grants === 'skip') return { grantsFile: null, skipGrants: true }
  if (grants === 'auto') return { grantsFile: source.grantsFile, skipGrants: false }
  return { grantsFile: absoluteFile(grants.file, 'grants file'), skipGrants: false }
}

export function createRestoreService(deps: RestoreServiceDeps) {
  /**
   * A backup on a destination as the engine reads it: the destination from destinations.json, its secret
   * from the keychain (it travels in the plan to the job process only), SFTP host keys as the app checks them.
   */
  async function remoteOf(
    destination: string,
    name: string,
    grantsName: string | null,
  ): Promise<RemoteBackup> {
    const sources = deps.offsite
    if (sources === undefined) throw new EngineError('Internal', 'restores from a destination are not set up')
    if (/[/\\]/.test(name) || name === '.' || name === '..')
      throw new EngineError(
        'InvalidInput',
        `a file on a destination is named without a folder, got '${name}'`,
      )
    const [found] = await findDestinations(sources.configDir(), [destination])
    const run = await withSecret(found as Destination, sources.keychain())
    const { knownHostsFile, insecure } = appHostKeys(sources)
    return {
      destination: run.destination,
      name,
      ...(run.secret ? { secret: run.secret } : {}),
      knownHostsFile,
      insecure,
      grantsName,
    }
  }

  /** A local backup (an absolute path), or with `destination` the file of that name there. */
  const describe = async (file: string, destination?: string): Promise<BackupSource> => {
    if (destination === undefined) return describeBackup(absoluteFile(file, 'backup file'))
    const remote = await remoteOf(destination, file, null)
    return describeBackup(
      { file: remoteLabel(destination, file), remote },
      { hostKeyPolicy: APP_HOST_KEY_POLICY },
    )
  }

  /** The backups a restore can read on a destination (`destinations:files`). */
  async function remoteFiles(name: string): Promise<{ destination: string; files: RemoteBackupFile[] }> {
    const sources = deps.offsite
    if (sources === undefined) throw new EngineError('Internal', 'restores from a destination are not set up')
    const [found] = await findDestinations(sources.configDir(), [name])
    const run = await withSecret(found as Destination, sources.keychain())
    return { destination: name, files: await listRemoteBackups(run, appHostKeys(sources)) }
  }

  /** The key of an encrypted file: the one typed in the wizard, else the best one at hand; null without any. */
  async function keyFor(
    source: BackupSource,
    typed: string | undefined,
    target: string,
  ): Promise<string | null> {
    if (!source.encrypted) return null
    if (typed !== undefined) return typedKey(typed, 'backup key')
    const owner = sourceProfileOf(source, await deps.profiles.endpoints())
    const candidates = await deps.keys.backupKeyCandidates(owner ?? target)
    return candidates[0] ?? null
  }

  const requireKey = (source: BackupSource, key: string | null): string | null => {
    if (source.encrypted && key === null) {
      throw new EngineError('MissingKey', `${source.file} is encrypted and no backup key is available`, {
        advice: advice('backupKeyRequired', { file: source.file }),
      })
    }
    return key
  }

  /** The log folder and restore client of the shared config. */
  const shared = (): Promise<SharedConfigView> => deps.sharedConfig()

  /**
   * Profile → connection, file → item, settings → the pre-restore backup: the engine's plan. A backup key
   * the pre-restore backup would need but cannot find is not an error yet: it is one only when the plan
   * backs something up (a restore into a new database needs no key); `keyProblem` is that error.
   */
  async function buildPlan(input: RestoreRequestInput): Promise<RestorePlan & { keyProblem?: AppError }> {
    const settings = await deps.settings()
    const config = await shared()
    const source = await describe(input.file, input.destination)
    const { profile, connection } = await deps.profiles.open(input.profile)
    const key = requireKey(source, await keyFor(source, input.key, profile.name))
    const { grantsFile, skipGrants } = grantsOf(input.grants, source)
    // From a destination: its grants file there, with the `auto` choice (a chosen file is a local one).
    const remote =
      input.destination === undefined
        ? undefined
        : await remoteOf(
            input.destination,
            input.file,
            input.grants === 'auto' ? (source.remote?.grantsName ?? null) : null,
          )
    const item: RestoreItem = {
      file: source.file,
      key,
      target: input.targetDatabase,
      excludeDatabases: [],
      sourceDatabase: source.sourceDatabase,
      totalSqlBytes: source.totalSqlBytes,
      totalTables: source.totalTables,
      grantsFile,
      ...(remote ? { remote } : {}),
    }
    let keyProblem: AppError | undefined
    const encryptionKey =
      input.preBackup && settings.defaults.encrypt
        ? await deps.keys.requireBackupKey(profile.name).catch((e: unknown) => {
            keyProblem = toEngineError(e).toAppError()
            return null
          })
        : null
    const preBackup = input.preBackup
      ? {
          outputDir: resolve(settings.defaults.outputDir),
          compression: settings.defaults.compression,
          encryptionKey,
          dumpBinary: settings.dumpBinary,
        }
      : null
    return {
      mode: input.targetDatabase === null ? 'all' : 'single',
      ticket: input.ticket,
      profileName: profile.name,
      connection,
      clientBinary: config.clientBinary,
      items: [item],
      dropTarget: input.dropTarget,
      preBackup,
      parallel: input.parallel,
      force: input.force,
      skipGrants,
      verifyFirst: false,
      logDir: config.logDir,
      ...(keyProblem ? { keyProblem } : {}),
    }
  }

  /**
   * The engine's dry-run of the plan, and the plan the job gets: without a backup key for the pre-restore
   * backup, a plan that backs something up is refused with the key's error; one that backs nothing up runs
   * without a pre-restore backup (there is nothing to keep, and never an unencrypted one).
   */
  async function planned(input: RestoreRequestInput): Promise<{ plan: RestorePlan; view: RestorePlanView }> {
    const { keyProblem, ...restorePlan } = await buildPlan(input)
    const view = await planRestore(restorePlan, { hostKeyPolicy: APP_HOST_KEY_POLICY })
    if (keyProblem === undefined) return { plan: restorePlan, view }
    const backsUp = view.items.some((item) => item.targets.some((t) => t.preRestoreBackup !== null))
    if (backsUp) return { plan: restorePlan, view: { ...view, problems: [...view.problems, keyProblem] } }
    return { plan: { ...restorePlan, preBackup: null }, view }
  }

  const plan = async (input: RestoreRequestInput): Promise<RestorePlanView> => (await planned(input)).view

  /** Plans again (the dry-run is the pre-flight: a refusal stops here), then hands the plan to the supervisor. */
  async function start(input: RestoreRequestInput): Promise<{ jobId: string }> {
    const { plan: restorePlan, view } = await planned(input)
    const problem = view.problems[0]
    if (problem !== undefined) throw EngineError.from(problem)
    return { jobId: deps.jobs().startRestore(restorePlan) }
  }

  async function test(input: RestoreTestInput): Promise<{ jobId: string }> {
    const source = await describe(input.file)
    // A file with data-only tables has nothing to load them into in a throwaway database: refused up front.
    const refused = await dataOnlyTestRefusal(source.file)
    if (refused !== null) throw refused
    const config = await shared()
    const { profile, connection } = await deps.profiles.open(input.profile)
    const key = requireKey(source, await keyFor(source, input.key, profile.name))
    const jobId = deps.jobs().startRestoreTest({
      ticket: input.ticket,
      profileName: profile.name,
      connection,
      clientBinary: config.clientBinary,
      file: source.file,
      key,
      sourceDatabase: source.sourceDatabase,
      totalSqlBytes: source.totalSqlBytes,
      parallel: input.parallel ?? 1,
      logDir: config.logDir,
    })
    return { jobId }
  }

  async function sourceView(file: string, destination?: string): Promise<RestoreSourceView> {
    const source = await describe(file, destination)
    const profile = sourceProfileOf(source, await deps.profiles.endpoints())
    const keyAvailable = source.encrypted ? (await deps.keys.backupKeyCandidates(profile)).length > 0 : true
    return {
      file: source.file,
      sourceDatabase: source.sourceDatabase,
      databases: source.databases,
      type: source.type,
      encrypted: source.encrypted,
      compression: source.compression,
      sizeBytes: source.sizeBytes,
      totalSqlBytes: source.totalSqlBytes,
      grantsFile: source.grantsFile,
      host: source.host,
      port: source.port,
      profile,
      keyAvailable,
      tableRules: source.tableRules ?? null,
      destination: source.remote?.destination ?? null,
    }
  }

  /** The target database as it is now, counted as the dry-run counts it (tables, views and sequences). */
  async function target(profileName: string, database: string): Promise<RestoreTargetInfo> {
    const { profile, connection } = await deps.profiles.open(profileName)
    const [state] = await withServer(
      connection,
      async (conn, direct) =>
        inspectTargets(conn, [database]).catch((e: unknown) => {
          throw mapMysqlError(e, direct)
        }),
      APP_HOST_KEY_POLICY,
    )
    return {
      profile: profile.name,
      database,
      exists: state?.exists ?? false,
      sizeBytes: state?.sizeBytes ?? 0,
      tables: state?.tables ?? 0,
    }
  }

  /** The last restore test of each file that has one. */
  async function lastTests(files: string[]): Promise<{ tests: Record<string, RestoreTestReport> }> {
    const tests: Record<string, RestoreTestReport> = {}
    // A broken config file must not hide the history: its reports then come from beside the backups only.
    const reportDir = (await shared().catch(() => null))?.logDir ?? logDir(deps.configDir())
    for (const file of new Set(files)) {
      if (!isAbsolute(file)) continue
      const report = await readLastRestoreTest(file, reportDir).catch(() => null)
      if (report !== null) tests[file] = report
    }
    return { tests }
  }

  const cancel = (jobId: string): { cancelling: boolean } => {
    const running = deps
      .jobs()
      .runningRestores()
      .some((r) => r.jobId === jobId)
    return { cancelling: running && deps.jobs().cancel(jobId) }
  }

  return {
    buildPlan,
    plan,
    start,
    test,
    describe: sourceView,
    remoteFiles,
    target,
    lastTests,
    cancel,
    running: () => deps.jobs().runningRestores(),
  }
}

export type RestoreService = ReturnType<typeof createRestoreService>
