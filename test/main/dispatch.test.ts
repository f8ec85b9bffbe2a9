// The dispatcher both transports share: arguments validated by the contract's schemas, engine
// values converted to the tagged form, results validated, every failure an envelope.
import { describe, expect, test } from 'vitest';
import { createDispatch, type ApiService } from '../../src/main/api/dispatch';
import { ApiFailure } from '../../src/main/api/errors';
import { checkEvent } from '../../src/main/api/events';
import { QueryError } from '../../src/engine/timeline';
import { methodNames } from '../../src/shared/api';

function service(overrides: Partial<Record<string, (args: unknown) => Promise<unknown>>>): ApiService {
  const base: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const m of methodNames) base[m] = async () => {
    throw new Error(`unexpected call to ${m}`);
  };
  return { ...base, ...overrides } as unknown as ApiService;
}

const row = { scope: 1, key: 'k', value: { kind: 'int', value: -9_223_372_036_854_775_808n }, validFrom: 5, validTo: null };

describe('createDispatch', () => {
  test('parses arguments (unknown keys stripped) and tags values (int64 exact)', async () => {
    let seen: unknown;
    const dispatch = createDispatch(
      service({
        getAt: async (args) => {
          seen = args;
          return { version: row, complete: true, incomplete: [] };
        },
      }),
    );
    const answer = await dispatch('getAt', { storeId: 's', scope: 1, key: 'k', at: 5, extra: 'dropped' });
    expect(seen).toEqual({ storeId: 's', scope: 1, key: 'k', at: 5 });
    expect(answer).toEqual({ ok: true, result: { version: { ...row, value: { int: '-9223372036854775808' } }, complete: true, incomplete: [] } });
  });

  test('invalid arguments never reach the service', async () => {
    const dispatch = createDispatch(service({}));
    for (const args of [null, 'x', { storeId: 1 }, { storeId: 's', at: 1.5 }, { storeId: 's', at: Number.MAX_SAFE_INTEGER + 2 }]) {
      const answer = await dispatch('stateAt', args);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    }
  });

  test('errors become envelopes with their codes; no stack crosses', async () => {
    const dispatch = createDispatch(
      service({
        summary: async () => {
          throw new ApiFailure('not-found', 'gone');
        },
        history: async () => {
          throw new QueryError('bad range');
        },
        verify: async () => {
          throw new TypeError('boom');
        },
      }),
    );
    expect(await dispatch('summary', { storeId: 's' })).toEqual({ ok: false, error: { code: 'not-found', message: 'gone' } });
    expect(await dispatch('history', { storeId: 's', scope: 1, key: 'k' })).toEqual({ ok: false, error: { code: 'query', message: 'bad range' } });
    expect(await dispatch('verify', { storeId: 's' })).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
    expect(await dispatch('nope', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  test('a result that does not match the contract is an internal error, not data for the UI', async () => {
    const dispatch = createDispatch(service({ closeStore: async () => ({ closed: 'yes' }) }));
    expect(await dispatch('closeStore', { storeId: 's' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    const loose = createDispatch(service({ closeStore: async () => ({ closed: 'yes' }) }), { validateResults: false });
    expect(await loose('closeStore', { storeId: 's' })).toEqual({ ok: true, result: { closed: 'yes' } });
  });
});

describe('checkEvent', () => {
  test('passes contract payloads and drops others', () => {
    expect(checkEvent('command', { command: 'verify' })).toEqual({ command: 'verify' });
    expect(checkEvent('command', { command: 'rm -rf' })).toBeNull();
    expect(checkEvent('nope' as 'command', {})).toBeNull();
  });
});
