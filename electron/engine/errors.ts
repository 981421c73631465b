import type { AppError, ErrorCode } from '../../shared/result.ts'

/** An error the engine means to show a DBA: a closed code, a one-line message, optional detail. */
export class EngineError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined

  constructor(code: ErrorCode, message: string, options?: { detail?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'EngineError'
    this.code = code
    this.detail = options?.detail
  }

  toAppError(): AppError {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail }
  }
}

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
    default:
      return new EngineError('Internal', `${where}${message}`, { cause: e })
  }
}
