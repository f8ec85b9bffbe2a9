/**
 * The names of the contract's methods and events, without their schemas: zod-free, so the
 * sandboxed preload can import them without bundling zod. methods.ts checks at compile time
 * that these lists are exactly the keys of `methods` and `events`.
 */
export const METHOD_NAMES = [
  'startup',
  'chooseFolder',
  'listStores',
  'openStore',
  'openRecent',
  'openDemo',
  'summary',
  'generations',
  'stateAt',
  'getAt',
  'history',
  'diff',
  'changes',
  'histogram',
  'nextChange',
  'prevChange',
  'verify',
  'exportStart',
  'exportStatus',
  'exportCancel',
  'setFollow',
  'setDemoWriter',
  'closeStore',
] as const;

export const EVENT_NAMES = ['storeChanged', 'exportProgress', 'openProgress', 'verifyProgress', 'command'] as const;

export type MethodNameList = (typeof METHOD_NAMES)[number];
export type EventNameList = (typeof EVENT_NAMES)[number];
