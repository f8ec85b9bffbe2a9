import { resolve } from 'node:path';
import type { ProblemReason } from '../../../src/engine/format/problems';
import { FIXTURES, readManifest, type ManifestFrame, type ManifestRow } from '../../support/fixtures';

export const CORRUPT_DIR = resolve(FIXTURES, 'reference-4255c9b1/corrupt');
const SMALL_DIR = resolve(FIXTURES, 'reference-4255c9b1/small');

interface CorruptVariant {
  file: string;
  corruption: string;
  store_state_after_open: ManifestRow[];
  versioned_recovery_recover_current: ManifestRow[] | { error: string };
}

export type SmallFrame = ManifestFrame;

export const SMALL_FRAMES: SmallFrame[] = (
  readManifest(SMALL_DIR) as unknown as { files: { frames: SmallFrame[] }[] }
).files[0].frames;

export const CORRUPT_VARIANTS: CorruptVariant[] = (readManifest(CORRUPT_DIR) as unknown as { variants: CorruptVariant[] }).variants;

/**
 * What each damage must be reported as. The offset is not written here: it is the manifest's
 * offset of frame `frame` of small.jrn.0 (or `offset` when the problem is about the header),
 * and every frame before it is kept.
 */
const RULES: Record<string, { problems: { reason: ProblemReason; at: 'frame' | number }[]; frame: number }> = {
  // The CRC covers the scope byte, so a changed scope is a CRC mismatch at the frame's start.
  'bad_scope_frame1.jrn.0': { frame: 1, problems: [{ reason: 'crc-mismatch', at: 'frame' }] },
  'crc_flip_frame2.jrn.0': { frame: 2, problems: [{ reason: 'crc-mismatch', at: 'frame' }] },
  'truncated_mid_frame3.jrn.0': {
    frame: 3,
    problems: [
      { reason: 'position-out-of-range', at: 8 },
      { reason: 'truncated-frame', at: 'frame' },
    ],
  },
  'payload_bitflip_frame4.jrn.0': { frame: 4, problems: [{ reason: 'crc-mismatch', at: 'frame' }] },
  // The frame runs past the header's position: the position is wrong, not the file short.
  'position_mid_frame5.jrn.0': { frame: 5, problems: [{ reason: 'length-past-end', at: 'frame' }] },
  'zeroed_tail_from_frame6.jrn.0': { frame: 6, problems: [{ reason: 'zero-length', at: 'frame' }] },
  'bad_version.jrn.0': { frame: 0, problems: [{ reason: 'unknown-version', at: 0 }] },
};

export interface CorruptCase {
  file: string;
  path: string;
  variant: CorruptVariant;
  /** Frames of small.jrn.0 that must be kept. */
  keptFrames: number;
  problems: { reason: ProblemReason; offset: number }[];
}

export function corruptCases(): CorruptCase[] {
  return CORRUPT_VARIANTS.map((variant) => {
    const rule = RULES[variant.file];
    if (!rule) throw new Error(`no expectation for corrupt fixture ${variant.file}: add one`);
    // The manifest names the damaged frame ("frame #N"); the file name does too.
    const named = /frame #(\d+)/.exec(variant.corruption)?.[1];
    if (named !== undefined && Number(named) !== rule.frame) throw new Error(`${variant.file}: manifest says frame #${named}`);
    return {
      file: variant.file,
      path: resolve(CORRUPT_DIR, variant.file),
      variant,
      keptFrames: rule.frame,
      problems: rule.problems.map((p) => ({ reason: p.reason, offset: p.at === 'frame' ? SMALL_FRAMES[rule.frame].offset : p.at })),
    };
  });
}
