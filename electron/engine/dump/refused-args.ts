import { EngineError } from '../errors.ts'
import {
  REFUSED_ARG_WHY,
  refusedDumpArgument as refusedArg,
  refusedRunDumpArgument,
} from '../../../shared/dump-arg-policy.ts'

/**
 * Extra dump arguments (`backup.mysqldump_args`, `backup.dump.extra_args`, and a run's own) that are refused:
 * they would write the dump outside the backup pipeline, or change the credentials, the server or the TLS
 * settings the profile gives. The rules are in shared/dump-arg-policy.ts (the app checks a run's own
 * arguments with them as they are typed).
 */

/** Why `arg` is refused (and the option it names), or null. Long options may be abbreviated (`--result`). */
export function refusedDumpArgument(arg: string): { option: string; why: string } | null {
  const refused = refusedArg(arg)
  return refused === null ? null : { option: refused.option, why: REFUSED_ARG_WHY[refused.reason] }
}

/**
 * Refuses extra dump arguments that redirect the output or change the credentials, the server or TLS
 * (see shared/dump-arg-policy.ts), naming the argument. Arguments after a `--` are database names, not options.
 */
export function checkExtraDumpArgs(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return
    const refused = refusedDumpArgument(arg)
    if (refused === null) continue
    throw new EngineError(
      'InvalidInput',
      `the extra dump argument '${arg}' (backup.mysqldump_args / backup.dump.extra_args) is refused: ` +
        `${refused.option} ${refused.why}; remove it`,
    )
  }
}

/**
 * Refuses a run's own extra dump arguments (not the config's): what checkExtraDumpArgs refuses, and anything
 * that is not one option or changes the databases, tables or format the backup chose.
 */
export function checkRunDumpArgs(args: readonly string[]): void {
  for (const arg of args) {
    const refused = refusedRunDumpArgument(arg)
    if (refused === null) continue
    throw new EngineError(
      'InvalidInput',
      `the extra dump argument '${arg}' of this backup is refused: ${refused.option} ${REFUSED_ARG_WHY[refused.reason]}; remove it`,
    )
  }
}
