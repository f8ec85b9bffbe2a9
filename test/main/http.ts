// A raw HTTP client for the server tests: sets any Host/Origin header and path as given.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST /api/<method> as the page does. */
export async function callApi(origin: string, token: string | null, method: string, args: unknown): Promise<{ status: number; body: { ok: boolean; result?: unknown; error?: { code: string; message: string } } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['x-journal-token'] = token;
  const res = await fetch(`${origin}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(args) });
  return { status: res.status, body: (await res.json()) as never };
}
