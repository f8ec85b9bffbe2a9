import type { KeyValue, SchemaElement } from 'hyparquet-writer';
import type { VersionRow } from '../timeline/types';
import { typeOf, valueText } from './encode';
import type { ExportSink } from './sink';

/**
 * The Parquet schema of both exports (state at T and full history), one row per version:
 *
 *   scope      INT32      required  the key's scope (1 FeatureFlag, 2 GlobalState, 3 System, …)
 *   key        STRING     required
 *   type       STRING     optional  string|int|double|bool|bytes|list|map; invalid = undecodable
 *                                   payload; NULL for a tombstone
 *   value      STRING     optional  the value as typed text (see encode.valueText): CAST it by
 *                                   `type`; list and map as tagged JSON; NULL for a tombstone
 *   validFrom  TIMESTAMP  required  INT64 µs since the epoch, UTC (isAdjustedToUTC, MICROS)
 *   validTo    TIMESTAMP  optional  exclusive end; NULL while the version is still valid
 *   deleted    BOOLEAN    required  the version is a tombstone (a DELETE)
 *
 * DuckDB reads validFrom/validTo as TIMESTAMP WITH TIME ZONE (`epoch_us(validFrom)` gives the
 * exact µs integer back), Spark as TimestampType. Rows are sorted by scope, key, validFrom,
 * so row-group statistics on key prune well. The file's key-value metadata `journal-explorer`
 * holds a JSON description: kind, store, at, complete, incomplete.
 */
export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 7 },
  { name: 'scope', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'type', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  {
    name: 'validFrom',
    type: 'INT64',
    converted_type: 'TIMESTAMP_MICROS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
    repetition_type: 'REQUIRED',
  },
  {
    name: 'validTo',
    type: 'INT64',
    converted_type: 'TIMESTAMP_MICROS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
    repetition_type: 'OPTIONAL',
  },
  { name: 'deleted', type: 'BOOLEAN', repetition_type: 'REQUIRED' },
];

interface HyparquetWriter {
  buffer: ArrayBuffer;
  index: number;
  flush?: () => void | Promise<void>;
  finish: () => void | Promise<void>;
}

interface ParquetWriterLike {
  write(options: { columnData: { name: string; data: unknown[] }[]; rowGroupSize?: number }): void | Promise<void>;
  finish(): void | Promise<void>;
}

/**
 * Writes rows to a sink as Parquet, one row group per `add` call: the encoded group is handed
 * to the sink (and awaited) before the next one is built, so memory holds one group at most.
 */
export class ParquetRowWriter {
  private constructor(private readonly writer: ParquetWriterLike) {}

  static async create(sink: ExportSink, metadata: Record<string, unknown>): Promise<ParquetRowWriter> {
    // hyparquet-writer is an ES module: loaded on demand, also from the CommonJS bundle.
    const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
    const bytes = new ByteWriter(1 << 20) as unknown as HyparquetWriter;
    const flush = async () => {
      if (bytes.index === 0) return;
      // Wait until the bytes reached the file: the buffer is reused for the next group.
      await sink.write(new Uint8Array(bytes.buffer, 0, bytes.index), true);
      bytes.index = 0;
    };
    bytes.flush = flush;
    bytes.finish = flush;
    const kvMetadata: KeyValue[] = [{ key: 'journal-explorer', value: JSON.stringify(metadata) }];
    const writer = new ParquetWriter({
      writer: bytes as never,
      schema: PARQUET_SCHEMA,
      kvMetadata,
      createdBy: 'journal-explorer (hyparquet-writer)',
    }) as unknown as ParquetWriterLike;
    return new ParquetRowWriter(writer);
  }

  async add(rows: VersionRow[]): Promise<void> {
    if (rows.length === 0) return;
    const n = rows.length;
    const scope = new Array<number>(n);
    const key = new Array<string>(n);
    const type = new Array<string | null>(n);
    const value = new Array<string | null>(n);
    const validFrom = new Array<number>(n);
    const validTo = new Array<number | null>(n);
    const deleted = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      scope[i] = row.scope;
      key[i] = row.key;
      type[i] = typeOf(row);
      value[i] = row.value === null ? null : valueText(row.value);
      validFrom[i] = row.validFrom;
      validTo[i] = row.validTo;
      deleted[i] = row.value === null && row.valueError === undefined;
    }
    await this.writer.write({
      columnData: [
        { name: 'scope', data: scope },
        { name: 'key', data: key },
        { name: 'type', data: type },
        { name: 'value', data: value },
        { name: 'validFrom', data: validFrom },
        { name: 'validTo', data: validTo },
        { name: 'deleted', data: deleted },
      ],
      rowGroupSize: n,
    });
  }

  async finish(): Promise<void> {
    await this.writer.finish();
  }
}
