// The renderer's static files for `jrn serve`: the same out/renderer the desktop app loads.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';

/** The CSP sent with every page (on top of the meta tag in index.html). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built renderer folder: beside the main bundle (out/main → out/renderer, also from a
 * chunk one level deeper), or out/renderer above the sources when running from them (tests).
 */
export function locateRendererDir(from: string = __dirname): string | null {
  const candidates = [join(from, '..', 'renderer'), join(from, '..', '..', 'renderer')];
  for (let dir = from, i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, 'out', 'renderer'));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Journal Explorer</title></head>
<body><h1>Journal Explorer</h1><p>The user interface is not built: run <code>npm run build</code>. The API answers under <code>/api/</code>.</p></body></html>
`;

export function securityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The page URL carries the token: never send it on as a referrer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** Serves a static file of the renderer (GET/HEAD); false when there is none at that path. */
export function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string | null, pathname: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const isIndex = pathname === '/' || pathname === '/index.html';
  if (rendererDir === null) {
    if (!isIndex) return false;
    res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : FALLBACK_PAGE);
    return true;
  }
  if (pathname.includes('\0')) return false;
  const base = resolve(rendererDir) + sep;
  const file = normalize(join(base, isIndex ? 'index.html' : pathname));
  if (!file.startsWith(base)) return false;
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': size };
  if (type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    headers['Cache-Control'] = 'no-store';
  } else {
    headers['Cache-Control'] = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}
