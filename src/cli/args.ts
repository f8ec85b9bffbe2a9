import { parseArgs } from 'node:util';
import { SCOPE_NAMES } from '../engine/format/scopes';
import type { HeaderVariant } from '../engine/format/header';
import type { PayloadLayout } from '../engine/format/payload';
import type { KeyFilter } from '../engine/timeline';
import { UsageError, type CliCommand, type CliIo } from './context';
import { parseTimestamp } from './time';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. "T". */
  arg?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage line after `jrn NAME`, e.g. "DIR --at T [options]". */
  usage: string;
  /** Extra help text (examples, notes). */
  details?: string;
  positionals: { name: string; required: boolean }[];
  options: Record<string, OptionSpec>;
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** --help was given: the caller prints helpFor(spec) and exits 0. */
  help: boolean;
}

/** Options several commands share. */
export const COMMON = {
  json: { type: 'boolean', help: 'Print machine-readable JSON (values in the tagged form)' },
  name: { type: 'string', arg: 'NAME', help: 'The store NAME, when the folder holds several stores' },
  headerVariant: { type: 'string', arg: '9|17', help: 'Force the journal header size (default: detected per file)' },
  payloadLayout: { type: 'string', arg: 'kv|value', help: 'Force the payload layout: kv = StateKeyValuePair, value = bare StateValue (default: detected)' },
} satisfies Record<string, OptionSpec>;

export const FILTERS = {
  scope: { type: 'string', arg: 'N', help: 'Only this scope (a number, or FeatureFlag, GlobalState, System)' },
  prefix: { type: 'string', arg: 'P', help: 'Only keys starting with P' },
  contains: { type: 'string', arg: 'S', help: 'Only keys containing S' },
} satisfies Record<string, OptionSpec>;

function optionName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Parses a command's arguments; throws UsageError naming what is wrong. */
export function parseCommand(spec: CommandSpec, args: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [key, o] of Object.entries(spec.options)) options[optionName(key)] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${spec.name}: ${(err as Error).message}`);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const key of Object.keys(spec.options)) values[key] = (parsed.values as Record<string, string | boolean | undefined>)[optionName(key)];
  const help = parsed.values.help === true;
  if (help) return { values, positionals: parsed.positionals, help };
  const required = spec.positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    throw new UsageError(`${spec.name}: missing ${spec.positionals[parsed.positionals.length].name} (usage: jrn ${spec.name} ${spec.usage})`);
  }
  if (parsed.positionals.length > spec.positionals.length) {
    throw new UsageError(`${spec.name}: unexpected argument '${parsed.positionals[spec.positionals.length]}' (usage: jrn ${spec.name} ${spec.usage})`);
  }
  return { values, positionals: parsed.positionals, help };
}

export function helpFor(spec: CommandSpec): string {
  const lines = [`Usage: jrn ${spec.name} ${spec.usage}`, '', spec.summary, ''];
  if (spec.details) lines.push(spec.details.trimEnd(), '');
  lines.push('Options:');
  const entries: [string, string][] = Object.entries(spec.options).map(([key, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${optionName(key)}${o.arg ? ` ${o.arg}` : ''}`;
    return [flag, o.help];
  });
  entries.push(['-h, --help', 'Show this help']);
  const width = Math.max(...entries.map(([f]) => f.length));
  for (const [flag, text] of entries) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  return lines.join('\n') + '\n';
}

// ---- typed option values ------------------------------------------------------------------

export function str(values: Parsed['values'], key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function flag(values: Parsed['values'], key: string): boolean {
  return values[key] === true;
}

export function timestampOpt(values: Parsed['values'], key: string): number | undefined {
  const v = str(values, key);
  return v === undefined ? undefined : parseTimestamp(v, `--${optionName(key)}`);
}

export function intOpt(values: Parsed['values'], key: string, min: number, max: number): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${optionName(key)} must be an integer from ${min} to ${max}, got "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${optionName(key)} must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
}

export function numberOpt(values: Parsed['values'], key: string): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${optionName(key)} must be a number, got "${v}"`);
  return n;
}

export function choiceOpt<T extends string>(values: Parsed['values'], key: string, choices: readonly T[]): T | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!choices.includes(v as T)) throw new UsageError(`--${optionName(key)} must be one of ${choices.join(', ')}, got "${v}"`);
  return v as T;
}

/** A scope: 0–255, or a known scope's name (case-insensitive). */
export function parseScope(text: string, what = '--scope'): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n <= 255) return n;
  }
  for (const [n, name] of Object.entries(SCOPE_NAMES)) if (name.toLowerCase() === t.toLowerCase()) return Number(n);
  if (t.toLowerCase() === 'featureflagexposure') return 1;
  throw new UsageError(`${what} must be a number from 0 to 255 or one of ${Object.values(SCOPE_NAMES).join(', ')}, got "${text}"`);
}

export function scopeOpt(values: Parsed['values']): number | undefined {
  const v = str(values, 'scope');
  return v === undefined ? undefined : parseScope(v);
}

export function filterOpts(values: Parsed['values']): KeyFilter {
  const filter: KeyFilter = {};
  const scope = scopeOpt(values);
  if (scope !== undefined) filter.scope = scope;
  const prefix = str(values, 'prefix');
  if (prefix) filter.keyPrefix = prefix;
  const contains = str(values, 'contains');
  if (contains) filter.keySubstring = contains;
  return filter;
}

export interface ReadOptions {
  name?: string;
  headerVariant?: HeaderVariant;
  payloadLayout?: PayloadLayout;
}

export function readOpts(values: Parsed['values']): ReadOptions {
  const header = choiceOpt(values, 'headerVariant', ['9', '17', 'v9', 'v17'] as const);
  const payload = choiceOpt(values, 'payloadLayout', ['kv', 'value', 'key-value-pair', 'state-value'] as const);
  return {
    name: str(values, 'name'),
    headerVariant: header === undefined ? undefined : header.endsWith('17') ? 'v17' : 'v9',
    payloadLayout: payload === undefined ? undefined : payload === 'kv' || payload === 'key-value-pair' ? 'key-value-pair' : 'state-value',
  };
}

/** A command from its spec and a handler; `--help` is handled here. */
export function defineCommand(spec: CommandSpec, handler: (parsed: Parsed, io: CliIo) => Promise<number>): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args, io) {
      const parsed = parseCommand(spec, args);
      if (parsed.help) {
        io.stdout(helpFor(spec));
        return 0;
      }
      return handler(parsed, io);
    },
  };
}
