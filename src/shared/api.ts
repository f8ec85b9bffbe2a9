// The one API contract between the renderer and everything behind it: the method table with
// zod schemas (contract/methods.ts), the wire value form (contract/values.ts) and the
// transports (contract/transport.ts). Environment-neutral: no node builtins, no electron, no
// engine or main imports (ESLint enforces that).
export * from './contract';
export { API_VERSION } from './apiVersion';
