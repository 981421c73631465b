/** How a handler turns a service call into the Result the renderer gets. */
import { ok, type Result } from '../../../../shared/result.ts'
import { EngineError, errno, toEngineError } from '../../../engine/errors.ts'

/**
 * Runs a service call: its value as ok(value), an engine or OS error as that error's AppError. Anything
 * else is a bug: it is rethrown, so the dispatcher logs it and the page gets a plain Internal error.
 */
export async function toResult<T>(run: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await run())
  } catch (e) {
    if (!(e instanceof EngineError) && errno(e) === undefined) throw e
    // The whole AppError, advice included: the window phrases the advice in its own language.
    return { ok: false, error: toEngineError(e).toAppError() }
  }
}
