import fc from 'fast-check';

// Property tests run with a fixed seed so that CI is repeatable; FC_SEED=<n> explores others
// (a failure prints its seed and path to replay it).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
