import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the upstream catalogs live: `SWITCHBOARD_UPSTREAM_DIR` when set, otherwise the first
 * `shared/upstream-catalogs` found walking up from `fromDir` (the repository sits next to
 * `shared/`). Returns undefined when neither exists.
 */
export function defaultUpstreamDir(fromDir: string = process.cwd()): string | undefined {
  const fromEnv = process.env.SWITCHBOARD_UPSTREAM_DIR;
  if (fromEnv) return resolve(fromEnv);
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'shared', 'upstream-catalogs');
    if (existsSync(join(candidate, 'SOURCES.md')) || existsSync(join(candidate, 'models.dev'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Paths of the two upstream files inside an upstream directory. */
export function upstreamPaths(dir: string): { modelsDev: string; litellm: string } {
  return {
    modelsDev: join(dir, 'models.dev', 'api.generated.json'),
    litellm: join(dir, 'litellm', 'model_prices_and_context_window.json'),
  };
}
