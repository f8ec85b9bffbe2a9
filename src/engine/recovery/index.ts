export { VersionedRecovery } from './versionedRecovery';
export type { FolderRecoveryOptions, GenerationInfo, IncompleteRange, IncompleteReason, RecoveryOptions, StateRow } from './types';
