/**
 * `pnpm codegen [--catalog <dir>] [--out <repoRoot>] [--only <id>] [--check]`: regenerates provider
 * packages and core's capability table from the catalog, or (with --check) fails when they are stale.
 * The source hooks go first so the command's imports of core's TypeScript sources resolve.
 */
import './register-source.ts';

await import('./command.ts');
