// Errors that carry an API error code, and the mapping of any thrown value to an ApiError.
import type { ApiError } from '../../shared/api';

/** An error with a contract error code ('not-found', 'forbidden', …), passed to the UI as is. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiFailure('not-found', message);
export const forbidden = (message: string) => new ApiFailure('forbidden', message);
export const unavailable = (message: string) => new ApiFailure('unavailable', message);

/**
 * The ApiError for a thrown value. Engine QueryErrors are 'query'; aborts are 'cancelled';
 * anything unexpected is 'internal' with its message only (no stack crosses the boundary).
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return { code: err.code, message: err.message };
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    if (e.name === 'QueryError') return { code: 'query', message };
    if (e.name === 'ExportError') return { code: 'invalid-arguments', message };
    if (e.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
    // Errors rebuilt from the index worker keep their code.
    if (e.name === 'ApiFailure' && typeof e.code === 'string') return { code: e.code, message };
    return { code: 'internal', message };
  }
  return { code: 'internal', message: String(err) };
}
