// The contract's version on its own: the command line prints it and must not load the
// contract's schemas (zod) to do so, which took a third of `jrn`'s start-up.

/** Bumped whenever the contract changes incompatibly. */
export const API_VERSION = 1;
