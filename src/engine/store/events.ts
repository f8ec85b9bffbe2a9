/** What the store reports besides return values: rotations, archives, and failures off the write path. */
export type RotationReason = 'high-water-mark' | 'no-room' | 'manual' | 'damaged-journal';

export type ErrorPhase = 'rotation' | 'archive' | 'retention' | 'cleanup';

export type StoreEvent =
  | {
      type: 'rotated';
      reason: RotationReason;
      fromGeneration: number;
      toGeneration: number;
      bufferSize: number;
      liveKeys: number;
    }
  | { type: 'archived'; generation: number; path: string; compressedBytes: number }
  /** An old generation turned out to be archived already (a crash came after the archive's rename). */
  | { type: 'already-archived'; generation: number; path: string }
  | { type: 'retention-deleted'; path: string }
  | { type: 'discarded-incomplete-generation'; path: string; reason: string }
  | { type: 'removed-temp-file'; path: string }
  | { type: 'error'; phase: ErrorPhase; error: unknown; generation?: number };

export type StoreEventListener = (event: StoreEvent) => void;

/** Calls the listener; a throwing listener must not break the store. */
export function emitTo(listener: StoreEventListener | undefined, event: StoreEvent): void {
  if (!listener) return;
  try {
    listener(event);
  } catch {
    // ignored on purpose: reporting must never fail a write
  }
}
