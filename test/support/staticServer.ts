// The built renderer served alone (no API) on 127.0.0.1, through the same static-file handler as
// `jrn serve`: for the smoke test that the renderer loads under its CSP by itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { securityHeaders, serveStatic as serveRendererFile } from '../../src/main/server/static';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    securityHeaders(res);
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!serveRendererFile(req, res, root, pathname)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
