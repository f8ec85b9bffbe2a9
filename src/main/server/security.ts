// The HTTP server's checks, as small pure functions so they are testable one by one:
// the per-launch token, the remote address (loopback only unless allowed), the Host header
// (against DNS rebinding) and the Origin header (against cross-site requests).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** A fresh random token for one launch (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (both sides hashed first, so lengths do not leak either). */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || isLoopbackAddress(h);
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

export interface HostPolicy {
  /** The address the server is bound to. */
  host: string;
  port: number;
  /** Extra host names (without port) to accept, e.g. the machine's name when serving remotely. */
  allowedHosts?: string[];
  /** Accept any Host when bound to a wildcard address with remote access allowed. */
  allowRemote?: boolean;
}

/** Splits a Host header into name and port ('[::1]:80' → ['::1', 80]). */
export function parseHostHeader(value: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  return { name: m[1].replace(/^\[|\]$/g, '').toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Whether a request's Host header names this server: the bound address, a loopback name when
 * bound to loopback, or an explicitly allowed host — on the bound port. Anything else is a
 * DNS-rebinding attempt or a misdirected request.
 */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  if (!header) return false;
  const parsed = parseHostHeader(header);
  if (!parsed) return false;
  if ((parsed.port ?? 80) !== policy.port) return false;
  const bound = policy.host.replace(/^\[|\]$/g, '').toLowerCase();
  if (parsed.name === bound) return true;
  if ((isLoopbackHost(bound) || isWildcardHost(policy.host)) && isLoopbackHost(parsed.name)) return true;
  if (policy.allowedHosts?.some((h) => h.toLowerCase() === parsed.name)) return true;
  return Boolean(policy.allowRemote && isWildcardHost(policy.host) && !policy.allowedHosts?.length);
}

/** An Origin header, when present, must be this server itself (same host rules, http only). */
export function originAllowed(origin: string | undefined, policy: HostPolicy): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  return hostAllowed(url.host, policy);
}
