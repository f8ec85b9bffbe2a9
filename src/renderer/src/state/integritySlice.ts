import type { EventPayload } from '../../../shared/api';
import { errorMessage } from '../api/errors';
import type { VerifyResult } from '../api/types';
import { sequencer, type Load, type Slice } from './types';

export interface IntegritySlice {
  verify: Load<VerifyResult>;
  /** While verifying: how many of the store's files are checked (null until the first report). */
  verifyProgress: { done: number; total: number } | null;
  runVerify(): Promise<void>;
  onVerifyProgress(progress: EventPayload<'verifyProgress'>): void;
  resetIntegrity(): void;
}

export const integritySlice: Slice<IntegritySlice> = (set, get, { client }) => {
  const seq = sequencer();
  return {
    verify: { status: 'idle' },
    verifyProgress: null,
    async runVerify() {
      const summary = get().summary;
      if (!summary) return;
      const n = seq.next();
      set({ verify: { status: 'loading' }, verifyProgress: null });
      try {
        const data = await client.api.verify({ storeId: summary.storeId });
        if (seq.isLatest(n)) set({ verify: { status: 'ready', data } });
      } catch (err) {
        if (seq.isLatest(n)) set({ verify: { status: 'error', error: errorMessage(err) } });
      }
    },
    onVerifyProgress({ storeId, done, total }) {
      if (get().verify.status === 'loading' && get().summary?.storeId === storeId) set({ verifyProgress: { done, total } });
    },
    resetIntegrity() {
      seq.cancel();
      set({ verify: { status: 'idle' }, verifyProgress: null });
    },
  };
};
