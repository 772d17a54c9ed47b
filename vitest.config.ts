import { defineConfig } from 'vitest/config';

// One vitest run for the whole repository. Workspace packages resolve to their TypeScript sources
// through the `@switchboard/source` export condition, so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['@switchboard/source'] },
  ssr: { resolve: { conditions: ['@switchboard/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'codegen/test/**/*.test.ts',
      'catalog-tools/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '.toolchain/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
