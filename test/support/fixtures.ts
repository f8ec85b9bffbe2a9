import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { toTagged } from '../../src/engine/format/taggedJson';
import type { StateValue } from '../../src/engine/format/value';

/** The shared fixtures, read in place (never copied into the project). */
export const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
export const LAYOUTS = ['reference-4255c9b1', 'upstream-head', 'spec'] as const;
export const SCENARIOS = ['small', 'manual', 'rotated'] as const;

export interface ManifestRow {
  scope: number;
  key: string;
  value: unknown;
  ts: number;
}

export interface Manifest {
  store_name: string;
  final_state: ManifestRow[];
  point_in_time: { at_ts: number; recovered: ManifestRow[] }[];
  ops?: { op: string; scope?: number; key?: string; value?: unknown; ts?: number | null }[];
}

/** One frame as a reference store's manifest lists it (`files[].frames`). */
export interface ManifestFrame<Value = unknown> {
  offset: number;
  len: number;
  scope: number;
  key: string;
  ts: number;
  value: Value;
  raw_hex: string;
}

export function fixtureDir(layout: string, scenario: string): string {
  return resolve(FIXTURES, layout, scenario);
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** Every scenario in every layout. */
export function allFixtureStores(): { layout: string; scenario: string; dir: string }[] {
  return LAYOUTS.flatMap((layout) => SCENARIOS.map((scenario) => ({ layout, scenario, dir: fixtureDir(layout, scenario) })));
}

/** A value in the manifests' JSON form (the same tagged form the CLI prints). */
export function manifestValue(value: StateValue | null): unknown {
  return value === null ? null : toTagged(value);
}

export function corruptFiles(): string[] {
  return readdirSync(resolve(FIXTURES, 'reference-4255c9b1/corrupt')).filter((f) => f.includes('.jrn.'));
}
