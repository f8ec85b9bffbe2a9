import { errorMessage } from '../api/errors';
import type { ExportJob } from '../api/types';
import type { Slice } from './types';

export type ExportKind = 'state' | 'history';
export type ExportFormat = 'json' | 'ndjson' | 'csv' | 'parquet' | 'journal';

export const EXPORT_FORMATS: Record<ExportKind, ExportFormat[]> = {
  state: ['json', 'ndjson', 'csv', 'parquet', 'journal'],
  history: ['ndjson', 'csv', 'parquet', 'json'],
};

/** A journal export writes a store folder, which a browser cannot download. */
export function formatsFor(kind: ExportKind, transport: 'electron' | 'http'): ExportFormat[] {
  return EXPORT_FORMATS[kind].filter((f) => transport === 'electron' || f !== 'journal');
}

export interface ExportForm {
  kind: ExportKind;
  format: ExportFormat;
  scope: number | null;
  keyPrefix: string;
  keySubstring: string;
}

export interface ExportSlice {
  exportForm: ExportForm;
  exportJob: ExportJob | null;
  /** The time the running/last state export was taken at. */
  exportAt: number | null;
  exportError: string | null;
  exportStarting: boolean;
  setExportForm(patch: Partial<ExportForm>): void;
  startExport(): Promise<void>;
  cancelExport(): Promise<void>;
  onExportProgress(job: ExportJob): void;
  stopExportPolling(): void;
  resetExport(): void;
}

const POLL_MS = 400;
const DEFAULT_FORM: ExportForm = { kind: 'state', format: 'json', scope: null, keyPrefix: '', keySubstring: '' };

export const exportSlice: Slice<ExportSlice> = (set, get, { client }) => {
  let timer: ReturnType<typeof setInterval> | null = null;

  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const accept = (job: ExportJob) => {
    const cur = get().exportJob;
    if (!cur || cur.jobId !== job.jobId) return;
    // Progress only moves forward; a final state is final.
    if (cur.state !== 'running') return;
    set({ exportJob: job.state === 'running' && job.done < cur.done ? { ...job, done: cur.done } : job });
    if (job.state !== 'running') stop();
  };

  const poll = (jobId: string) => {
    stop();
    timer = setInterval(() => {
      client.api.exportStatus({ jobId }).then(accept, (err: unknown) => {
        stop();
        set({ exportError: errorMessage(err) });
      });
    }, POLL_MS);
  };

  return {
    exportForm: DEFAULT_FORM,
    exportJob: null,
    exportAt: null,
    exportError: null,
    exportStarting: false,

    setExportForm(patch) {
      set((s) => {
        const form = { ...s.exportForm, ...patch };
        if (!EXPORT_FORMATS[form.kind].includes(form.format)) form.format = EXPORT_FORMATS[form.kind][0];
        return { exportForm: form };
      });
    },

    async startExport() {
      const { summary, at, exportForm: f, exportJob } = get();
      if (!summary || get().exportStarting || exportJob?.state === 'running') return;
      set({ exportStarting: true, exportError: null });
      try {
        const job = await client.api.exportStart({
          storeId: summary.storeId,
          kind: f.kind,
          format: f.format,
          ...(f.kind === 'state' && at !== null ? { at } : {}),
          ...(f.scope === null ? {} : { scope: f.scope }),
          ...(f.keyPrefix ? { keyPrefix: f.keyPrefix } : {}),
          ...(f.keySubstring ? { keySubstring: f.keySubstring } : {}),
        });
        set({ exportJob: job, exportAt: f.kind === 'state' ? at : null, exportStarting: false });
        if (job.state === 'running') poll(job.jobId);
      } catch (err) {
        set({ exportStarting: false, exportError: errorMessage(err) });
      }
    },

    async cancelExport() {
      const job = get().exportJob;
      if (!job || job.state !== 'running') return;
      try {
        accept(await client.api.exportCancel({ jobId: job.jobId }));
      } catch (err) {
        set({ exportError: errorMessage(err) });
      }
    },

    onExportProgress: accept,
    stopExportPolling: stop,

    resetExport() {
      stop();
      set({ exportForm: DEFAULT_FORM, exportJob: null, exportAt: null, exportError: null, exportStarting: false });
    },
  };
};
