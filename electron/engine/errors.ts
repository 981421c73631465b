import type { Advice, AdviceCode, AdviceParams, AppError, ErrorCode } from '../../shared/result.ts'

/**
 * An error the engine means to show a DBA: a closed code, a one-line message of what happened (never a
 * flag or a button: the engine does not know who shows it), optional detail, and optional advice that the
 * CLI and the app each phrase in their own words.
 */
export class EngineError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined
  readonly advice: Advice | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options?: { detail?: string; cause?: unknown; advice?: Advice },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'EngineError'
    this.code = code
    this.detail = options?.detail
    this.advice = options?.advice
  }

  /** The error again as an exception, e.g. one that crossed a process boundary as data. */
  static from(e: AppError): EngineError {
    return new EngineError(e.code, e.message, {
      ...(e.detail === undefined ? {} : { detail: e.detail }),
      ...(e.advice === undefined ? {} : { advice: e.advice }),
    })
  }

  toAppError(): AppError {
    return {
      code: this.code,
      message: this.message,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.advice === undefined ? {} : { advice: this.advice }),
    }
  }
}

/** An advice with its facts, for EngineError's options and plan notices. */
export const advice = (code: AdviceCode, params?: AdviceParams): Advice =>
  params === undefined ? { code } : { code, params }

/** The `code` of a Node system error (ENOENT, EEXIST, …), if it has one. */
export const errno = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined

/** Maps OS errors at the engine's edge to domain errors; anything else becomes Internal. */
export function toEngineError(e: unknown, context?: string): EngineError {
  if (e instanceof EngineError) return e
  const where = context ? `${context}: ` : ''
  const message = e instanceof Error ? e.message : String(e)
  switch (errno(e)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new EngineError('DiskFull', `${where}no space left on the device`, { cause: e })
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new EngineError('PermissionDenied', `${where}permission denied (${message})`, { cause: e })
    case 'EEXIST':
      return new EngineError('FileExists', `${where}${message}`, { cause: e })
    case 'ENOENT':
    case 'ENOTDIR':
      return new EngineError('FileNotFound', `${where}no such file or folder (${message})`, { cause: e })
    case 'EISDIR':
      return new EngineError('InvalidInput', `${where}is a folder, not a file`, { cause: e })
    case 'ENAMETOOLONG':
      return new EngineError(
        'InvalidInput',
        `${where}a file name is longer than the file system allows (255 bytes)`,
        {
          cause: e,
        },
      )
    default:
      return new EngineError('Internal', `${where}${message}`, { cause: e })
  }
}
