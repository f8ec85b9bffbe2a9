// The worker side of the index protocol, kept apart from the entry so it is testable.
import type { MessagePort } from 'node:worker_threads';
import { toApiError } from '../api/errors';
import type { FromWorker, ToWorker } from './protocol';
import { IndexService } from './service';

type Port = Pick<MessagePort, 'on' | 'postMessage'>;

/** Answers `call` messages on `port` with an IndexService; `cancel` aborts a running call. */
export function serveIndexRequests(port: Port, service = new IndexService()): void {
  const running = new Map<number, AbortController>();
  const send = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const { id, request } = message;
    const controller = new AbortController();
    running.set(id, controller);
    let lastProgress = 0;
    service
      .handle(request, {
        signal: controller.signal,
        onProgress: (done, total) => {
          // At most ~20 progress messages a second, and always the last one.
          const now = Date.now();
          if (done < total && now - lastProgress < 50) return;
          lastProgress = now;
          send({ type: 'progress', id, done, total });
        },
      })
      .then(
        (value) => send({ type: 'result', id, ok: true, value }),
        (err: unknown) => {
          const api = toApiError(err);
          const name = err instanceof Error ? err.name : 'Error';
          send({ type: 'result', id, ok: false, error: { name, code: api.code, message: api.message } });
        },
      )
      .finally(() => running.delete(id));
  });
}
