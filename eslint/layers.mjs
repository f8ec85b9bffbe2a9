// Layer rules for Journal Explorer (see docs/ARCHITECTURE.md).
//
//   src/engine        plain Node: format, store writer, recovery, timeline index + queries
//   src/main          electron-free services (sessions, demo store, export jobs, HTTP server)
//   src/main/electron the thin Electron entry: the only main-process code importing 'electron'
//   src/preload       the sandboxed bridge (may import 'electron')
//   src/cli           the `jrn` command line
//   src/shared        the API contract; environment-neutral
//   src/renderer      React UI; talks only to the contract in src/shared
//
// Two mechanisms enforce the rules:
//  * `no-restricted-imports` (built per layer by restrictedImports()) bans packages and node
//    builtins in static import/export declarations;
//  * the local rule `layers/no-cross-layer-import` resolves relative (and `src/…`, `@layer/…`)
//    import paths against the importing file to find the layer they land in, so `../main/x`
//    is caught from any depth while `../format/x` inside the engine is not, and it also checks
//    dynamic `import()` and `require()` calls, which `no-restricted-imports` does not see.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Layer directories, most specific first. */
const LAYER_DIRS = [
  ['mainElectron', 'src/main/electron'],
  ['main', 'src/main'],
  ['engine', 'src/engine'],
  ['preload', 'src/preload'],
  ['cli', 'src/cli'],
  ['shared', 'src/shared'],
  ['renderer', 'src/renderer'],
];

const LAYER_LABEL = Object.fromEntries(LAYER_DIRS);

const ELECTRON = ['electron'];
const UI_PACKAGES = ['react', 'react-dom', 'zustand', 'recharts'];
const UI_SCOPES = ['@tanstack'];
// A sandboxed preload can only require these builtins (besides 'electron').
const PRELOAD_BUILTINS = ['events', 'timers', 'url'];

/**
 * What each layer may not import. `packages` are npm package names (their subpaths too),
 * `scopes` whole npm scopes, `builtins` node builtins ('all' or 'all-but-preload'), `layers`
 * other layers of this repository. `other` is everything outside the layers (test/, bench/,
 * config files).
 */
export const POLICY = {
  engine: {
    why: 'src/engine is the bottom layer: plain Node, no UI, no Electron, no other app layer',
    packages: [...ELECTRON, ...UI_PACKAGES],
    scopes: UI_SCOPES,
    builtins: null,
    layers: ['main', 'mainElectron', 'renderer', 'preload', 'cli', 'shared'],
  },
  renderer: {
    why: 'src/renderer is a web app: it talks only to the API contract in src/shared',
    packages: ELECTRON,
    scopes: [],
    builtins: 'all',
    layers: ['engine', 'main', 'mainElectron', 'preload', 'cli'],
  },
  shared: {
    why: 'src/shared is the environment-neutral API contract (zod is fine)',
    packages: [...ELECTRON, ...UI_PACKAGES],
    scopes: UI_SCOPES,
    builtins: 'all',
    layers: ['engine', 'main', 'mainElectron', 'renderer', 'preload', 'cli'],
  },
  main: {
    why: "src/main is electron-free (only src/main/electron may import 'electron')",
    packages: ELECTRON,
    scopes: [],
    builtins: null,
    layers: ['renderer', 'preload'],
  },
  mainElectron: {
    why: 'the main process never imports renderer or preload code',
    packages: [],
    scopes: [],
    builtins: null,
    layers: ['renderer', 'preload'],
  },
  preload: {
    why: 'the sandboxed preload is a thin bridge over the API contract',
    packages: [],
    scopes: [],
    builtins: 'all-but-preload',
    layers: ['engine', 'main', 'mainElectron', 'renderer', 'cli'],
  },
  cli: {
    why: "the CLI runs in plain Node: no 'electron', no UI code",
    packages: ELECTRON,
    scopes: [],
    builtins: null,
    layers: ['renderer', 'preload', 'mainElectron'],
  },
  other: {
    why: "only src/main/electron and src/preload may import 'electron' (tests stub it instead)",
    packages: ELECTRON,
    scopes: [],
    builtins: null,
    layers: [],
  },
};

/** The layer a file (absolute path) belongs to. */
export function layerOfFile(file) {
  const rel = relative(ROOT, file).split(sep).join('/');
  if (rel.startsWith('../') || isAbsolute(rel)) return 'other';
  for (const [layer, dir] of LAYER_DIRS) {
    if (rel === dir || rel.startsWith(dir + '/')) return layer;
  }
  return 'other';
}

function bannedBuiltins(mode) {
  if (mode === 'all') return builtinModules;
  if (mode === 'all-but-preload') {
    return builtinModules.filter((m) => !PRELOAD_BUILTINS.includes(m.split('/')[0]));
  }
  return [];
}

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Options for the core `no-restricted-imports` rule in one layer. */
export function restrictedImports(layer) {
  const p = POLICY[layer];
  const paths = [];
  const patterns = [];
  for (const name of p.packages) {
    paths.push({ name, message: `${p.why}.` });
    patterns.push({ regex: `^${escapeRegex(name)}/`, caseSensitive: true, message: `${p.why}.` });
  }
  for (const scope of p.scopes) {
    patterns.push({ regex: `^${escapeRegex(scope)}/`, caseSensitive: true, message: `${p.why}.` });
  }
  const builtins = bannedBuiltins(p.builtins);
  if (builtins.length > 0) {
    const message = `${p.why}: no node builtins.`;
    for (const name of builtins) paths.push({ name, message });
    const allowed = p.builtins === 'all-but-preload' ? `(?!(${PRELOAD_BUILTINS.join('|')})$)` : '';
    patterns.push({ regex: `^node:${allowed}`, caseSensitive: true, message });
  }
  return { paths, patterns };
}

const ALIAS = /^@(engine|main|renderer|preload|cli|shared)(\/|$)/;

/** The repository layer an import specifier points into, or null for packages. */
function targetLayer(specifier, fromFile) {
  let target;
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    target = resolve(dirname(fromFile), specifier);
  } else if (isAbsolute(specifier)) {
    target = specifier;
  } else if (specifier.startsWith('src/')) {
    target = resolve(ROOT, specifier);
  } else {
    const alias = ALIAS.exec(specifier);
    if (!alias) return null;
    target = resolve(ROOT, 'src', alias[1], specifier.slice(alias[0].length));
  }
  const layer = layerOfFile(target);
  return layer === 'other' ? null : layer;
}

function packageName(specifier) {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Package-level check, for dynamic import()/require() which no-restricted-imports misses. */
function bannedPackage(specifier, policy) {
  const name = packageName(specifier);
  if (policy.packages.includes(name)) return name;
  if (policy.scopes.some((s) => name.startsWith(s + '/'))) return name;
  const builtins = bannedBuiltins(policy.builtins);
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (builtins.includes(bare) || (specifier.startsWith('node:') && policy.builtins === 'all')) return specifier;
  if (specifier.startsWith('node:') && policy.builtins === 'all-but-preload' && !PRELOAD_BUILTINS.includes(bare)) {
    return specifier;
  }
  return null;
}

const noCrossLayerImport = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rules of docs/ARCHITECTURE.md on import paths' },
    schema: [],
    messages: {
      layer: "{{from}} may not import {{to}} ('{{specifier}}'): {{why}}.",
      dynamic: "{{from}} may not load '{{name}}': {{why}}.",
    },
  },
  create(context) {
    const file = context.physicalFilename ?? context.filename;
    const from = layerOfFile(file);
    const policy = POLICY[from];

    function check(node, specifier, isDynamic) {
      if (typeof specifier !== 'string') return;
      const to = targetLayer(specifier, file);
      if (to !== null) {
        if (policy.layers.includes(to)) {
          context.report({
            node,
            messageId: 'layer',
            data: { from: LAYER_LABEL[from] ?? 'this file', to: LAYER_LABEL[to], specifier, why: policy.why },
          });
        }
        return;
      }
      if (!isDynamic) return; // static package imports are no-restricted-imports' job
      const name = bannedPackage(specifier, policy);
      if (name) {
        context.report({
          node,
          messageId: 'dynamic',
          data: { from: LAYER_LABEL[from] ?? 'this file', name, why: policy.why },
        });
      }
    }

    const literal = (node) => (node && node.type === 'Literal' ? node.value : undefined);
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value, false),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value, false),
      ExportAllDeclaration: (node) => check(node.source, node.source.value, false),
      ImportExpression: (node) => check(node.source, literal(node.source), true),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node.moduleReference, literal(node.moduleReference.expression), true),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          check(node.arguments[0], literal(node.arguments[0]), true);
        }
      },
    };
  },
};

export const layersPlugin = {
  meta: { name: 'journal-explorer-layers' },
  rules: { 'no-cross-layer-import': noCrossLayerImport },
};

/** Flat-config objects applying the layer rules, one per layer (their `files` are disjoint). */
export function layerConfigs() {
  const layerGlobs = Object.fromEntries(LAYER_DIRS.map(([layer, dir]) => [layer, `${dir}/**`]));
  const configs = [
    {
      name: 'layers/plugin',
      plugins: { layers: layersPlugin },
      rules: { 'layers/no-cross-layer-import': 'error' },
    },
  ];
  for (const [layer] of LAYER_DIRS) {
    configs.push({
      name: `layers/${layer}`,
      files: [layerGlobs[layer]],
      ...(layer === 'main' ? { ignores: [layerGlobs.mainElectron] } : {}),
      rules: { 'no-restricted-imports': ['error', restrictedImports(layer)] },
    });
  }
  configs.push({
    name: 'layers/other',
    ignores: Object.values(layerGlobs),
    rules: { 'no-restricted-imports': ['error', restrictedImports('other')] },
  });
  return configs;
}
