/**
 * On a Node older than the minimum, importing core's built package fails at once with a message that
 * names the version needed, instead of crashing later inside undici. Runs the real built dist in a
 * child process under an old Node: `SWITCHBOARD_OLD_NODE` if set, else `/usr/bin/node` when it is
 * older than the minimum (Node 20 on this project's machines). `./run test` builds before testing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSupportedNode, MINIMUM_NODE } from '@switchboard/core';
import { describe, expect, it } from 'vitest';

const coreEntry = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));

/** An installed Node older than the minimum, with its version, if this machine has one. */
function findOldNode(): { path: string; version: string } | undefined {
  const candidates = [process.env.SWITCHBOARD_OLD_NODE, '/usr/bin/node'].filter(
    (candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate),
  );
  for (const path of candidates) {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (!isSupportedNode(version)) return { path, version };
  }
  return undefined;
}

const oldNode = findOldNode();

describe('importing core on a Node older than the minimum', () => {
  it.skipIf(oldNode === undefined)(`fails at import, naming Node >= ${MINIMUM_NODE} and the running version`, () => {
    const node = oldNode as { path: string; version: string };
    if (!existsSync(coreEntry))
      throw new Error(`build core first (${coreEntry} is missing): ./run pnpm -s turbo run build`);
    const child = spawnSync(node.path, ['--input-type=module', '-e', `await import(${JSON.stringify(coreEntry)});`], {
      encoding: 'utf8',
    });
    expect(child.status).not.toBe(0);
    const [major, minor] = MINIMUM_NODE.split('.');
    expect(child.stderr).toContain(`Switchboard needs Node >= ${major}.${minor} (this is ${node.version})`);
    // The check runs before undici or anything else of core is evaluated: no crash from inside a dependency.
    expect(child.stderr).not.toContain('undici');
  });

  it('the running Node (the toolchain’s) imports the same built entry', () => {
    if (!existsSync(coreEntry))
      throw new Error(`build core first (${coreEntry} is missing): ./run pnpm -s turbo run build`);
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const core = await import(${JSON.stringify(coreEntry)}); process.stdout.write(core.MINIMUM_NODE);`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe(MINIMUM_NODE);
  });
});
