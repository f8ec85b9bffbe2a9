// The preload bridge with a stubbed 'electron': it exposes exactly the contract (one function
// per method, invoke, on, openDroppedFolder), never ipcRenderer itself, and unwraps envelopes.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { API_GLOBAL, DROP_CHANNEL, eventChannel, ipcChannel, methodNames, parseApiErrorMessage } from '../../src/shared/api';

const exposed: Record<string, unknown> = {};
const invoked: { channel: string; args: unknown }[] = [];
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
let answer: unknown = { ok: true, result: 'fine' };

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = api;
    },
  },
  ipcRenderer: {
    invoke: async (channel: string, args: unknown) => {
      invoked.push({ channel, args });
      return answer;
    },
    on: (channel: string, fn: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...a: unknown[]) => void) => listeners.get(channel)?.delete(fn),
  },
  webUtils: {
    getPathForFile: (file: { path?: string }) => file.path ?? '',
  },
}));

type Bridge = Record<string, (...args: unknown[]) => unknown>;
let api: Bridge;

beforeAll(async () => {
  await import('../../src/preload/index');
  api = exposed[API_GLOBAL] as Bridge;
});

describe('preload bridge', () => {
  test('exposes exactly the contract methods and the three helpers, frozen', () => {
    expect(Object.keys(exposed)).toEqual([API_GLOBAL]);
    expect(new Set(Object.keys(api))).toEqual(new Set([...methodNames, 'invoke', 'on', 'openDroppedFolder']));
    expect(Object.isFrozen(api)).toBe(true);
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(api).not.toHaveProperty('send');
  });

  test('each method invokes its channel and resolves to the result', async () => {
    for (const method of methodNames) {
      invoked.length = 0;
      answer = { ok: true, result: { method } };
      await expect(api[method]({ storeId: 's' })).resolves.toEqual({ method });
      expect(invoked).toEqual([{ channel: ipcChannel(method), args: { storeId: 's' } }]);
    }
  });

  test('an error envelope rejects with the code recoverable from the message', async () => {
    answer = { ok: false, error: { code: 'not-found', message: 'the store is not open' } };
    const err = (await (api.summary({ storeId: 'gone' }) as Promise<unknown>).catch((e: Error) => e)) as Error;
    expect(parseApiErrorMessage(err.message)).toEqual({ code: 'not-found', message: 'the store is not open' });
  });

  test('invoke returns the raw envelope, and only for contract methods', async () => {
    answer = { ok: false, error: { code: 'query', message: 'bad' } };
    await expect(api.invoke('stateAt', { storeId: 's', at: 1 })).resolves.toEqual(answer);
    invoked.length = 0;
    await expect(api.invoke('../../etc', {})).resolves.toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(invoked).toEqual([]);
  });

  test('on() listens to contract events only and passes the payload, not the IPC event', () => {
    expect(() => api.on('not-an-event', () => undefined)).toThrow(/no event/);
    const got: unknown[] = [];
    const off = api.on('storeChanged', (p: unknown) => got.push(p)) as () => void;
    const fns = listeners.get(eventChannel('storeChanged'))!;
    expect(fns.size).toBe(1);
    for (const fn of fns) fn({ sender: 'secret ipc event' }, { storeId: 's' });
    expect(got).toEqual([{ storeId: 's' }]);
    off();
    expect(fns.size).toBe(0);
  });

  test('openDroppedFolder sends the path of a real file only', async () => {
    invoked.length = 0;
    await expect(api.openDroppedFolder({ name: 'made-up' })).resolves.toBeNull();
    expect(invoked).toEqual([]);
    answer = { ok: true, result: { folderId: 'f', dir: '/data/s', stores: ['a'] } };
    await expect(api.openDroppedFolder({ path: '/data/s' })).resolves.toEqual({ folderId: 'f', dir: '/data/s', stores: ['a'] });
    expect(invoked).toEqual([{ channel: DROP_CHANNEL, args: '/data/s' }]);
  });
});
