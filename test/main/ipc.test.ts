// The IPC layer with a stubbed 'electron': every contract method is registered as a handler,
// every handler checks the sender frame before anything else, and calls reach the dispatcher.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { DROP_CHANNEL, ipcChannel, methodNames } from '../../src/shared/api';
import { rendererTarget, rendererUrl } from '../../src/main/rendererTarget';
import type { Dispatch } from '../../src/main/api/dispatch';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const target = rendererTarget({}, '/app/out/main', true);
const OURS = rendererUrl(target);
const calls: { method: string; args: unknown }[] = [];
const dispatch: Dispatch = async (method, args) => {
  calls.push({ method, args });
  return { ok: true, result: { method } };
};
const dropped: string[] = [];
const window = {
  dispatch,
  grantDropped: (path: string) => {
    dropped.push(path);
    return { folderId: 'f1', dir: path, stores: [] };
  },
};

function event(url: string | null, opts: { id?: number; subframe?: boolean } = {}) {
  return {
    sender: { id: opts.id ?? 1 },
    senderFrame: url === null ? null : { url, parent: opts.subframe ? { url: OURS } : null },
  };
}

let unregister: () => void;

beforeAll(async () => {
  const { registerIpc } = await import('../../src/main/electron/ipc');
  unregister = registerIpc({ target, windowFor: (id) => (id === 1 ? window : undefined) });
});

describe('registerIpc', () => {
  test('registers one handler per contract method, plus the drop channel', () => {
    expect(new Set(handlers.keys())).toEqual(new Set([...methodNames.map(ipcChannel), DROP_CHANNEL]));
  });

  test("our renderer's top frame reaches the dispatcher with its arguments", async () => {
    for (const method of methodNames) {
      calls.length = 0;
      const answer = await handlers.get(ipcChannel(method))!(event(OURS + '#/store'), { storeId: 'x' });
      expect(answer).toEqual({ ok: true, result: { method } });
      expect(calls).toEqual([{ method, args: { storeId: 'x' } }]);
    }
  });

  test.each([
    ['a foreign page', event('https://evil.example/')],
    ['another local file', event('file:///etc/passwd')],
    ['a devtools or data URL', event('data:text/html,<script>1</script>')],
    ['a subframe of our page', event(OURS, { subframe: true })],
    ['a destroyed frame', event(null)],
    ['a window without a session', event(OURS, { id: 2 })],
  ])('refuses %s before dispatching', async (_name, ev) => {
    calls.length = 0;
    for (const channel of [ipcChannel('stateAt'), ipcChannel('openStore'), DROP_CHANNEL]) {
      const answer = (await handlers.get(channel)!(ev, { storeId: 'x' })) as { ok: boolean; error: { code: string } };
      expect(answer.ok).toBe(false);
      expect(answer.error.code).toBe('forbidden');
    }
    expect(calls).toEqual([]);
    expect(dropped).toEqual([]);
  });

  test('the drop channel takes an absolute path only, and grants it through the window', async () => {
    const drop = handlers.get(DROP_CHANNEL)!;
    for (const bad of [42, null, 'relative/dir', '/x\0y', { path: '/tmp' }]) {
      expect(await drop(event(OURS), bad)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    }
    expect(dropped).toEqual([]);
    expect(await drop(event(OURS), '/data/stores')).toEqual({ ok: true, result: { folderId: 'f1', dir: '/data/stores', stores: [] } });
    expect(dropped).toEqual(['/data/stores']);
  });

  test('the dev server origin is accepted in development only', async () => {
    const { senderRejection } = await import('../../src/main/ipcGuard');
    const dev = rendererTarget({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, '/app/out/main', false);
    expect(senderRejection(event('http://localhost:5173/index.html'), dev)).toBeNull();
    expect(senderRejection(event('http://localhost:5174/'), dev)).not.toBeNull();
    expect(senderRejection(event('http://localhost:5173/'), target)).not.toBeNull();
  });

  test('unregistering removes every handler', () => {
    unregister();
    expect(handlers.size).toBe(0);
  });
});
