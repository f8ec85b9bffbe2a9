import { resolve } from 'node:path';
import { COMMON, defineCommand, flag, intOpt, str, type CommandSpec } from '../args';
import { EXIT_OK, InputError, UsageError } from '../context';
import { resolveStore } from '../open';

const spec: CommandSpec = {
  name: 'serve',
  summary: 'Serve the explorer UI and API to a browser over HTTP (127.0.0.1 by default), for one store or the demo.',
  usage: 'DIR [--name NAME] | --demo  [--host H] [--port N] [--allow-remote]',
  details: `Prints the URL to open, with the per-launch access token. Runs until Ctrl-C.
Only loopback addresses are allowed unless --allow-remote is given.`,
  positionals: [{ name: 'DIR', required: false }],
  options: {
    demo: { type: 'boolean', help: 'Serve the demo store (generated on first use) with its simulated writer' },
    name: COMMON.name,
    host: { type: 'string', arg: 'H', help: 'Address to listen on (default 127.0.0.1)' },
    port: { type: 'string', arg: 'N', help: 'Port (default 0: a free port)' },
    allowRemote: { type: 'boolean', help: 'Allow connections from other machines (needed for a non-loopback --host)' },
  },
};

export const serveCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const demo = flag(values, 'demo');
  if (demo && positionals.length) throw new UsageError('serve: give either DIR or --demo, not both');
  if (!demo && !positionals.length) throw new UsageError('serve: give a store folder DIR, or --demo');
  const host = str(values, 'host') ?? '127.0.0.1';
  const port = intOpt(values, 'port', 0, 65535) ?? 0;
  const allowRemote = flag(values, 'allowRemote');
  let dir: string | undefined;
  let store: string | undefined;
  if (!demo) {
    const target = resolveStore(positionals[0], { name: str(values, 'name') }, io);
    if (target.files) throw new InputError(`serve: give the store's folder, not a file (${positionals[0]})`);
    dir = resolve(target.dir);
    store = target.store;
  }
  // Loaded on demand: the HTTP server and the session services are only needed here.
  const { startServer } = await import('../../main/server');
  let handle: Awaited<ReturnType<typeof startServer>>;
  try {
    handle = await startServer({ dir, store, demo, host, port, allowRemote });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new InputError(`serve: ${host}:${port} is already in use`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'EACCES') throw new InputError(`serve: cannot listen on ${host}:${port}: ${e.message}`);
    if (err instanceof Error && !(err instanceof TypeError) && !(err instanceof ReferenceError)) throw new InputError(`serve: ${err.message}`);
    throw err;
  }
  io.stdout(`Serving ${demo ? 'the demo store' : `store "${store}" in ${dir}`}\n`);
  io.stdout(`Open ${handle.url}\n`);
  if (allowRemote) io.stderr('jrn: warning: remote access is allowed; anyone with the URL (token included) can read this store\n');
  io.stderr('Press Ctrl-C to stop.\n');
  await new Promise<void>((done) => {
    if (!io.signal) return; // runs until the process is killed
    if (io.signal.aborted) done();
    else io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await handle.close();
  io.stderr('stopped\n');
  return EXIT_OK;
});
