// A stand-in for a writer archiving as fast as it can, for the listing test in
// test/reliability/liveWriter.test.ts. Run as
//   node --import tsx archiveChurnChild.ts DIR NAME FILES
// It fills DIR with FILES archives of store NAME, prints "ready", then rotates for ever the
// way the writer does: the next journal is created, the old one's archive is written under a
// temporary name and renamed into place, the old journal is deleted, and the oldest archive
// goes (retention), so the folder keeps its size. At every moment each generation between the
// oldest and the newest has a journal or an archive (or both): a listing missing one is wrong.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, filesArg] = process.argv.slice(2);
const files = Number(filesArg);
const archive = (g: number) => join(dir, `${name}.jrn.g${g}.t${1_000_000 + g}.zz`);
const journal = (g: number) => join(dir, `${name}.jrn.${g}`);

for (let g = 0; g < files; g++) writeFileSync(archive(g), 'x');
let g = files;
writeFileSync(journal(g), 'x');
process.stdout.write('ready\n');
for (;;) {
  writeFileSync(journal(g + 1), 'x');
  writeFileSync(archive(g) + '.tmp', 'x');
  renameSync(archive(g) + '.tmp', archive(g));
  unlinkSync(journal(g));
  unlinkSync(archive(g - files));
  g++;
  // About 100 rotations a second: a busy writer with tiny buffers (the live test's does 30–60).
  const until = performance.now() + 10;
  while (performance.now() < until);
}
