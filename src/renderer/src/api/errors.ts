import { parseApiErrorMessage } from '../../../shared/api';

/** An error answered by the API ({ok:false, error:{code, message}}) or by the transport. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** A message fit to show: the API's own message, without transport noise. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiCallError) return err.message;
  // The preload rejects with Error("<code>: <message>").
  if (err instanceof Error) return parseApiErrorMessage(err.message).message;
  return String(err);
}
