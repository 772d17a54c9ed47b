/**
 * The dependency rules of the workspace (issue 15), checked by `node scripts/check-layers.ts`.
 *
 * Core layers, bottom to top (packages/core/src/<folder>/). A file may import its own layer or any
 * layer below it, never one above:
 *   1. types         types only: messages, requests, responses, events, providers, service interfaces
 *   2. errors        the error classes and the redaction that keeps keys out of them
 *   3. catalog       catalog queries, cost, tokens, context windows (+ generated/, codegen's output)
 *   4. protocols     one folder per wire protocol, and the adapter contract
 *   5. runtime       transport, request preparation, the call engine, streams
 *   6. resilience    middleware stages, stores, caches, limits, budgets
 *   7. features      sessions, tool loops, recovery, templates, parsing
 *   8. observability telemetry, logging
 *   9. composition   createSwitchboard and its builders
 *  10. entry         src/index.ts, src/yaml/**, any other file directly in src/
 * Tests (*.test.ts, test-support/, test-helpers.ts) are exempt from the layer order, not from the
 * other rules. Adding a layer is one line in CORE_LAYERS.
 *
 * Other rules: no cycles in any workspace source (type-only imports count: dependency-cruiser sees them
 * with tsPreCompilationDeps, and a type cycle couples two modules as much as a value cycle does); no
 * relative import into another workspace package's `src` (tests and benches included); apps import
 * other packages only by package name (so only through their package.json `exports`); no import that
 * does not resolve.
 */

/** Core layers, bottom to top: [layer, folders of packages/core/src that belong to it]. */
const CORE_LAYERS = [
  ['types', ['types']],
  ['errors', ['errors']],
  ['catalog', ['catalog', 'generated']],
  ['protocols', ['protocols']],
  ['runtime', ['runtime']],
  ['resilience', ['resilience']],
  ['features', ['features']],
  ['observability', ['observability']],
  ['composition', ['composition']],
];
/** The entry layer on top: files directly in src/ and the `./yaml` entry point. */
const ENTRY_FOLDERS = ['yaml'];

const CORE = '^packages/core/src/';
const TEST_FILES = '(\\.test(-d)?\\.tsx?$|/test-support/|/test-helpers\\.ts$)';
const foldersPattern = (folders) => `${CORE}(${folders.join('|')})/`;
const CORE_ENTRY_FILES = `${CORE}[^/]+$`;
const KNOWN_FOLDERS = [...CORE_LAYERS.flatMap(([, folders]) => folders), ...ENTRY_FOLDERS];

/** One rule per layer: its non-test files must not import any folder of a layer above, nor the entry layer. */
const upwardRules = CORE_LAYERS.map(([layer, folders], index) => {
  const above = [...CORE_LAYERS.slice(index + 1).flatMap(([, f]) => f), ...ENTRY_FOLDERS];
  return {
    name: `layer-${layer}-no-upward`,
    comment: `core layer "${layer}" may import only itself and the layers below: ${CORE_LAYERS.slice(0, index)
      .map(([name]) => name)
      .join(', ')}`,
    severity: 'error',
    from: { path: foldersPattern(folders), pathNot: TEST_FILES },
    to: { path: [foldersPattern(above), CORE_ENTRY_FILES] },
  };
});

/** Every workspace package root: a deep import is a relative import from outside one of these into its src. */
const PACKAGE_ROOT = '((?:packages|apps)/[^/]+|codegen|catalog-tools)';
const WORKSPACE_SOURCES = `^(${PACKAGE_ROOT}/src/)`;

module.exports = {
  forbidden: [
    ...upwardRules,
    {
      name: 'layer-unassigned-folder',
      comment: 'every folder of packages/core/src belongs to a layer: add it to CORE_LAYERS (or move the files)',
      severity: 'error',
      from: { path: CORE, pathNot: [foldersPattern(KNOWN_FOLDERS), CORE_ENTRY_FILES, TEST_FILES] },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycle in workspace sources (type-only cycles included)',
      severity: 'error',
      from: { path: WORKSPACE_SOURCES },
      to: { circular: true },
    },
    {
      name: 'no-deep-import',
      comment:
        "import another workspace package by its name (its package.json exports), never a file of its src: '../../packages/core/src/...' or '@switchboard/core/src/...'",
      severity: 'error',
      from: { path: `^(${PACKAGE_ROOT}|test)/` },
      to: { path: `^${PACKAGE_ROOT}/src/`, pathNot: '^$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'no-deep-import-by-name',
      comment: "'@switchboard/<package>/src/...' reaches around the package's exports",
      severity: 'error',
      from: {},
      to: { path: '^@switchboard/[^/]+/src/' },
    },
    {
      name: 'apps-public-exports-only',
      comment: 'apps reach other workspace packages only by package name (a subpath listed in their exports)',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: {
        path: `^${PACKAGE_ROOT}/`,
        // Another package's src is no-deep-import's (not counted twice); the repository's shared test
        // helpers (test/) are not a package and apps' tests may use them.
        pathNot: ['^apps/$1/', `^${PACKAGE_ROOT}/src/`],
        dependencyTypes: ['local'],
      },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing (a typo, a removed file or a subpath missing from exports)',
      severity: 'error',
      from: { pathNot: '(^|/)node_modules/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Not cruised: installed and built code; generated scratch folders (.snippets/, .readme-snippets/);
    // fixtures that are inputs of a test, not code of the workspace (codegen's golden output, recorded
    // exchanges, and the .mts files that readme/types tests compile in their own program with their own paths).
    exclude: {
      path: [
        '(^|/)(node_modules|dist)/',
        '(^|/)\\.[^/]+/',
        '^codegen/test/golden/',
        '^test/contract/fixtures/',
        '^test/(readme|types)/[^/]+\\.mts$',
      ],
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@switchboard/source', 'import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['types', 'module', 'main'],
    },
  },
};
