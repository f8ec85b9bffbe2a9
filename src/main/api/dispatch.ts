// The one dispatcher behind both transports (IPC and HTTP), generated from the contract's
// method table: validate the arguments, call the service, convert values to their tagged
// JSON form, validate the result, wrap it in the envelope.
import { methods, methodNames, type Envelope, type MethodName, type Methods } from '../../shared/api';
import { toJson } from '../../engine/timeline';
import { toApiError } from './errors';
import { checkResult, describeIssues } from './validate';
import type { z } from 'zod';

/** What serves the contract: one async function per method, given parsed arguments. */
export type ApiService = {
  [M in MethodName]: (args: z.output<Methods[M]['args']>) => Promise<unknown>;
};

export type Dispatch = (method: string, rawArgs: unknown) => Promise<Envelope<unknown>>;

export interface DispatchOptions {
  /**
   * Validate results against the method's schema (default true). A result that does not match
   * is a bug behind the API: it answers 'internal' instead of reaching the UI.
   */
  validateResults?: boolean;
  /**
   * Methods whose results the service has validated already (the session's queries are checked
   * in the index worker, so a 10,000-row page is not parsed on the main thread).
   */
  prevalidated?: ReadonlySet<string>;
}

const known = new Set<string>(methodNames);

export function isMethodName(name: string): name is MethodName {
  return known.has(name);
}

export function createDispatch(service: ApiService, options: DispatchOptions = {}): Dispatch {
  const validateResults = options.validateResults ?? true;
  const handlers = new Map<string, (raw: unknown) => Promise<Envelope<unknown>>>();
  for (const name of methodNames) {
    const schema = methods[name];
    const call = service[name] as (args: unknown) => Promise<unknown>;
    const validate = validateResults && !options.prevalidated?.has(name);
    handlers.set(name, async (raw) => {
      const parsed = schema.args.safeParse(raw ?? {});
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid-arguments', message: `${name}: ${describeIssues(parsed.error)}` } };
      }
      try {
        const value = toJson(await call.call(service, parsed.data));
        return { ok: true, result: validate ? checkResult(name, value) : value };
      } catch (err) {
        return { ok: false, error: toApiError(err) };
      }
    });
  }
  return async (method, rawArgs) => {
    const handler = handlers.get(method);
    if (!handler) return { ok: false, error: { code: 'not-found', message: `no API method "${method}"` } };
    return handler(rawArgs);
  };
}
