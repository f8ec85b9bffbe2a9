export { VersionedRecovery } from './versionedRecovery';
export type {
  CompactedPrefixRule,
  FolderRecoveryOptions,
  GenerationStatus,
  GenerationSummary,
  IncompleteRange,
  IncompleteReason,
  RecoveryOptions,
  StateRow,
} from './types';
