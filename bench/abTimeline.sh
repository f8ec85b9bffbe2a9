#!/usr/bin/env bash
# Interleaved A/B of opening the standard store: REV (default HEAD) against the working tree,
# each built into out/ab/, measured alternately N times (default 5) so that the machine's
# drift between minutes hits both alike. Prints wall time, the index thread's busy time and
# the process's CPU per open. Needs the standard store (run `npm run bench -- timeline` once).
#   bench/abTimeline.sh [REV] [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REV="${1:-HEAD}"
N="${2:-5}"
STORE="${JRN_BENCH_CACHE:-${TMPDIR:-/tmp}/journal-explorer-bench}/standard-1000000-100000"
[ -f "$STORE/complete" ] || { echo "no standard store at $STORE: run npm run bench -- timeline first" >&2; exit 2; }

# A: REV, built in a worktree that shares this checkout's node_modules.
TREE="$(mktemp -d)"
trap 'git worktree remove --force "$TREE" >/dev/null 2>&1 || true; rm -rf "$TREE"' EXIT
rmdir "$TREE"
git worktree add -q --detach "$TREE" "$REV"
ln -s "$PWD/node_modules" "$TREE/node_modules"
build() { npx electron-vite build >"$1/build.log" 2>&1 || { cat "$1/build.log" >&2; exit 1; }; }
(cd "$TREE" && build "$TREE")
rm -rf out/ab && mkdir -p out/ab
cp -r "$TREE/out/main" out/ab/a
# B: the working tree.
build out/ab
cp -r out/main out/ab/b

MEASURE='
const { TimelineIndex } = require(process.argv[1]);
const { performance } = require("node:perf_hooks");
(async () => {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await TimelineIndex.open(process.argv[2]);
  const wall = performance.now() - start;
  const busy = performance.eventLoopUtilization(elu).active;
  const used = process.cpuUsage(cpu);
  console.log(`${process.argv[3]}  wall ${wall.toFixed(0)} ms  index thread busy ${busy.toFixed(0)} ms  cpu ${((used.user + used.system) / 1000).toFixed(0)} ms`);
})();'
for _ in $(seq 1 "$N"); do
  node -e "$MEASURE" "$PWD/out/ab/a/timeline.js" "$STORE" "A $REV"
  node -e "$MEASURE" "$PWD/out/ab/b/timeline.js" "$STORE" "B work"
done
