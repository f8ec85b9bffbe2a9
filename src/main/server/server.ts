// `jrn serve`: the renderer and the API over HTTP for a browser, on 127.0.0.1 by default.
// Every /api route needs the per-launch token; the Host header must name this server (DNS
// rebinding), an Origin header must be this server (cross-site requests), remote addresses
// are refused unless allowed. Only the chosen store is served: the session is restricted to
// it and opens it at start. POST /api/<method> goes through the same dispatcher as IPC.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  EVENTS_PATH,
  exportFileRoute,
  TOKEN_HEADER,
  TOKEN_QUERY,
  type Envelope,
  type EventName,
  type EventPayload,
  type MethodResult,
} from '../../shared/api';
import { listStores } from '../../engine/files';
import { isMethodName, type Dispatch } from '../api/dispatch';
import { checkEvent } from '../api/events';
import { defaultDataDir } from '../dataDir';
import { DemoStore } from '../demo/demoStore';
import type { DemoOptions } from '../demo/generate';
import { createIndexClient, locateWorker, type IndexerMode } from '../indexer/client';
import { Session, sessionDispatch } from '../session/session';
import type { FollowOptions } from '../session/follow';
import { hostAllowed, isLoopbackAddress, isWildcardHost, newToken, originAllowed, tokenMatches, type HostPolicy } from './security';
import { locateRendererDir, securityHeaders, serveStatic } from './static';

export interface ServeOptions {
  /** The store's folder (required unless `demo`). */
  dir?: string;
  /** The store's name; needed when the folder holds several. */
  store?: string;
  /** Serve the demo store (generated on first use) with its simulated writer. */
  demo?: boolean;
  /** Run the demo's simulated writer (default true). */
  demoWriter?: boolean;
  /** Demo generation options (tests make a small demo). */
  demoGenerate?: Omit<DemoOptions, 'onProgress' | 'signal'>;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Accept connections from other machines (needed to bind a non-loopback address). */
  allowRemote?: boolean;
  /** Host names (besides the bound address and loopback names) the Host header may carry. */
  allowedHosts?: string[];
  /** The built renderer (default: found beside the bundle or under out/renderer). */
  rendererDir?: string | null;
  /** App data folder for the demo store (default $JOURNAL_EXPLORER_DATA_DIR or the platform's). */
  dataDir?: string;
  indexer?: IndexerMode;
  /** The index worker bundle (default: found beside the main bundle). */
  workerPath?: string | null;
  follow?: FollowOptions & { enabled?: boolean };
  /** Request log lines (default: none). */
  log?: (line: string) => void;
}

export interface ServeHandle {
  /** The page to open, with the token: http://127.0.0.1:<port>/?token=… */
  url: string;
  /** http://<host>:<port> */
  origin: string;
  token: string;
  host: string;
  port: number;
  /** The store served, already open. */
  store: MethodResult<'summary'>;
  session: Session;
  dispatch: Dispatch;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        // Stop reading, answer 413, then drop the connection (the client is still sending):
        // destroying the request first would reset the socket before the answer got out.
        req.pause();
        req.removeAllListeners('data');
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startServer(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const allowRemote = options.allowRemote ?? false;
  if (!allowRemote && !['127.0.0.1', '::1', 'localhost'].includes(host) && !/^127\./.test(host)) {
    throw new Error(`refusing to listen on ${host}: only loopback addresses unless remote access is allowed explicitly`);
  }
  if (!options.demo && !options.dir) throw new Error('a store folder (or the demo) is needed');

  const token = newToken();
  const log = options.log ?? (() => undefined);
  const rendererDir = options.rendererDir === undefined ? locateRendererDir() : options.rendererDir;
  const exportDir = mkdtempSync(join(tmpdir(), 'journal-explorer-exports-'));
  const demo = options.demo
    ? new DemoStore({ root: options.dataDir ?? defaultDataDir(), writer: options.demoWriter ?? true, generate: options.demoGenerate, onError: (err) => log(`demo writer stopped: ${String(err)}`) })
    : null;

  // Which store: the demo, or the one in the folder (the only one, or the one named).
  let only: { dir: string; store: string };
  if (demo) {
    only = { dir: demo.dir, store: demo.store };
  } else {
    const stores = listStores(options.dir!);
    const store = options.store ?? (stores.length === 1 ? stores[0] : undefined);
    if (!store) {
      rmSync(exportDir, { recursive: true, force: true });
      throw new Error(stores.length ? `${options.dir} holds several stores (${stores.join(', ')}): choose one` : `no journal store in ${options.dir}`);
    }
    only = { dir: options.dir!, store };
  }

  const sseClients = new Set<ServerResponse>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const data = checkEvent(event, payload);
    if (data === null) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of sseClients) client.write(frame);
  };

  const indexer = createIndexClient(options.indexer ?? 'auto', options.workerPath === undefined ? locateWorker() : options.workerPath);
  const session = new Session({
    transport: 'http',
    indexer,
    emit,
    demo,
    only,
    exportDir,
    downloadUrl: (jobId) => `${exportFileRoute(jobId)}?${TOKEN_QUERY}=${encodeURIComponent(token)}`,
    follow: options.follow,
  });
  const dispatch = sessionDispatch(session);

  let store: MethodResult<'summary'>;
  try {
    if (demo) {
      store = await session.openDemo({});
    } else {
      const choice = session.grantFolder(only.dir);
      store = await session.openStore({ folderId: choice.folderId, store: only.store });
    }
  } catch (err) {
    await session.dispose();
    await demo?.close();
    rmSync(exportDir, { recursive: true, force: true });
    throw err;
  }

  let policy: HostPolicy = { host, port: 0, allowedHosts: options.allowedHosts, allowRemote };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    if (!allowRemote && !isLoopbackAddress(req.socket.remoteAddress)) {
      refuse(res, 403, 'forbidden', 'only local connections are accepted');
      return;
    }
    if (!hostAllowed(req.headers.host, policy)) {
      refuse(res, 421, 'forbidden', 'unexpected Host header');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuse(res, 400, 'invalid-arguments', 'bad request URL');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      refuse(res, 400, 'invalid-arguments', 'bad request path');
      return;
    }

    if (!pathname.startsWith('/api/')) {
      if (!serveStatic(req, res, rendererDir, pathname)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      }
      return;
    }

    // Every API route: same-origin only, and the token.
    if (!originAllowed(req.headers.origin as string | undefined, policy)) {
      refuse(res, 403, 'forbidden', 'cross-origin requests are not accepted');
      return;
    }
    const given = req.method === 'POST' ? req.headers[TOKEN_HEADER] : url.searchParams.get(TOKEN_QUERY);
    if (!tokenMatches(Array.isArray(given) ? given[0] : given, token)) {
      refuse(res, 401, 'forbidden', 'missing or wrong token');
      return;
    }

    if (req.method === 'GET' && pathname === EVENTS_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(`: connected\n\n`);
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    const download = /^\/api\/export\/([^/]+)\/file$/.exec(pathname);
    if (req.method === 'GET' && download) {
      const file = session.exportFile(download[1]);
      if (!file) {
        refuse(res, 404, 'not-found', 'no finished export with that id');
        return;
      }
      const size = statSync(file).size;
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': size,
        'Content-Disposition': `attachment; filename="${basename(file).replace(/[^\w.-]/g, '_')}"`,
        'Cache-Control': 'no-store',
      });
      createReadStream(file).pipe(res);
      return;
    }

    const method = pathname.slice('/api/'.length);
    if (req.method !== 'POST' || !isMethodName(method)) {
      refuse(res, 404, 'not-found', `no route ${req.method} ${pathname}`);
      return;
    }
    if (req.headers['content-type'] !== undefined && !/^application\/json\b/i.test(req.headers['content-type'])) {
      refuse(res, 415, 'invalid-arguments', 'send the arguments as application/json');
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      res.setHeader('Connection', 'close');
      refuse(res, 413, 'invalid-arguments', `request body too large (more than ${MAX_BODY} bytes)`);
      res.on('finish', () => req.destroy());
      return;
    }
    let args: unknown = {};
    if (body.trim() !== '') {
      try {
        args = JSON.parse(body);
      } catch {
        refuse(res, 400, 'invalid-arguments', 'the body is not JSON');
        return;
      }
    }
    const started = Date.now();
    const envelope = await dispatch(method, args);
    log(`${method} ${envelope.ok ? 'ok' : envelope.error.code} ${Date.now() - started} ms`);
    sendJson(res, 200, envelope);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'internal', err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });
  // Server-sent events stay open; keep them alive through proxies and idle timeouts.
  const heartbeat = setInterval(() => {
    for (const client of sseClients) client.write(': ping\n\n');
  }, 20_000);
  heartbeat.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(heartbeat);
    await session.dispose();
    await demo?.close();
    rmSync(exportDir, { recursive: true, force: true });
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  policy = { ...policy, port };
  const origin = `http://${urlHost(host === 'localhost' || isWildcardHost(host) ? '127.0.0.1' : host)}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?${TOKEN_QUERY}=${token}`,
    origin,
    token,
    host,
    port,
    store,
    session,
    dispatch,
    close: () =>
      (closing ??= (async () => {
        clearInterval(heartbeat);
        for (const client of sseClients) client.end();
        sseClients.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await session.dispose();
        await demo?.close();
        rmSync(exportDir, { recursive: true, force: true });
      })()),
  };
}
