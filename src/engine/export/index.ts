export { exportState, exportHistory, defaultExportName } from './exporters';
export { refuseInsideStore, isInside } from './guard';
export { PARQUET_SCHEMA } from './parquet';
export { valueText, isoMicros, csvField, CSV_STATE_COLUMNS, CSV_HISTORY_COLUMNS } from './encode';
export { stateRows, historyRows, type RowSource } from './rows';
export * from './types';
