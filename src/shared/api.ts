// The one API contract between the renderer and everything behind it: the method table with
// zod schemas (contract/methods.ts), the wire value form (contract/values.ts) and the
// transports (contract/transport.ts). Environment-neutral: no node builtins, no electron, no
// engine or main imports (ESLint enforces that).
export * from './contract';

/** Bumped whenever the contract changes incompatibly. */
export const API_VERSION = 1;
