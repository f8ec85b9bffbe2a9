import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { activeJournal, listStoreFiles, listStores } from '../../engine/files/storeFiles';
import { COMMON, defineCommand, flag, type CommandSpec } from '../args';
import { EXIT_OK, InputError } from '../context';
import { Output, table } from '../output';

const spec: CommandSpec = {
  name: 'stores',
  summary: 'List the journal stores in a folder (several stores can share one).',
  usage: 'DIR [--json]',
  positionals: [{ name: 'DIR', required: true }],
  options: { json: COMMON.json },
};

export const storesCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const dir = resolve(io.cwd ?? process.cwd(), positionals[0]);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError(`no such folder: ${positionals[0]}`);
  }
  if (!isDir) throw new InputError(`${positionals[0]} is not a folder`);
  const stores = listStores(dir).map((name) => {
    const files = listStoreFiles(dir, name);
    const active = activeJournal(files);
    return {
      name,
      activeJournal: active?.relativePath ?? null,
      generation: active?.generation ?? null,
      journals: files.filter((f) => f.kind === 'journal').length,
      archives: files.filter((f) => f.kind === 'archive').length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      files: files.map((f) => ({ path: f.relativePath, kind: f.kind, generation: f.generation, size: f.size })),
    };
  });
  const out = new Output(io);
  if (flag(values, 'json')) {
    await out.line(JSON.stringify({ dir, stores }));
  } else if (stores.length === 0) {
    await out.line(`no journal stores in ${positionals[0]}`);
  } else {
    const rows = stores.map((s) => [s.name, s.activeJournal ?? '(none: archives only)', String(s.journals), String(s.archives), String(s.bytes)]);
    for (const line of table(['STORE', 'ACTIVE JOURNAL', 'JOURNALS', 'ARCHIVES', 'BYTES'], rows)) await out.line(line);
  }
  await out.flush();
  return EXIT_OK;
});
