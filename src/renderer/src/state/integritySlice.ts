import { errorMessage } from '../api/errors';
import type { VerifyResult } from '../api/types';
import { sequencer, type Load, type Slice } from './types';

export interface IntegritySlice {
  verify: Load<VerifyResult>;
  runVerify(): Promise<void>;
  resetIntegrity(): void;
}

export const integritySlice: Slice<IntegritySlice> = (set, get, { client }) => {
  const seq = sequencer();
  return {
    verify: { status: 'idle' },
    async runVerify() {
      const summary = get().summary;
      if (!summary) return;
      const n = seq.next();
      set({ verify: { status: 'loading' } });
      try {
        const data = await client.api.verify({ storeId: summary.storeId });
        if (seq.isLatest(n)) set({ verify: { status: 'ready', data } });
      } catch (err) {
        if (seq.isLatest(n)) set({ verify: { status: 'error', error: errorMessage(err) } });
      }
    },
    resetIntegrity() {
      seq.cancel();
      set({ verify: { status: 'idle' } });
    },
  };
};
