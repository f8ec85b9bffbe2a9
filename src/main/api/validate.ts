// Result validation against the contract, shared by the dispatcher (main thread) and the
// index service (worker thread, where the big query results are checked off the main thread).
import type { z } from 'zod';
import { methods, type MethodName } from '../../shared/api';
import { ApiFailure } from './errors';

/** A zod error as one line: `path: message; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(args)'}: ${i.message}`)
    .join('; ');
}

/** The result as the contract describes it; a mismatch is a bug behind the API ('internal'). */
export function checkResult(method: MethodName, value: unknown): unknown {
  const checked = methods[method].result.safeParse(value);
  if (!checked.success) throw new ApiFailure('internal', `${method} returned an invalid result: ${describeIssues(checked.error)}`);
  return checked.data;
}
