/**
 * The rules scripts/package-lint.ts adds to publint and are-the-types-wrong (issue 13): each one
 * catches the mistake it exists for, on a package built here in memory the way the lint reads a tarball.
 */

import { MINIMUM_NODE } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { type AttwPackage, contentProblems, type Manifest, manifestProblems } from '../../scripts/package-lint.ts';

const REPOSITORY = 'https://github.com/switchboard-dev/switchboard';

function goodManifest(): Manifest {
  return {
    name: '@switchboard/example',
    license: 'MIT',
    keywords: ['switchboard'],
    homepage: `${REPOSITORY}/tree/main/packages/example#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: 'packages/example' },
    engines: { node: `>=${MINIMUM_NODE}` },
    scripts: { build: 'tsc', prepack: 'turbo run build --filter=@switchboard/example' },
  };
}

/** A packed package as are-the-types-wrong's `Package` lists it: files under /node_modules/<name>/. */
function packed(files: Record<string, string>, name = '@switchboard/example'): AttwPackage {
  const prefix = `/node_modules/${name}/`;
  return {
    listFiles: () => Object.keys(files).map((file) => prefix + file),
    readFile: (path) => {
      const text = files[path.slice(prefix.length)];
      if (text === undefined) throw new Error(`no ${path}`);
      return text;
    },
  };
}

const SHIPPED = { 'README.md': '# example\n', LICENSE: 'MIT License\n', 'dist/index.js': 'export {};\n' };

describe('package lint: package.json', () => {
  it('a complete manifest passes', () => {
    expect(manifestProblems(goodManifest(), 'packages/example')).toEqual([]);
  });

  it('names each missing or wrong field', () => {
    const manifest: Manifest = {
      ...goodManifest(),
      engines: { node: '>=22' },
      keywords: [],
      scripts: { build: 'tsc' },
    };
    delete manifest.bugs;
    expect(manifestProblems(manifest, 'packages/example')).toEqual([
      `engines.node is ">=22", not ">=${MINIMUM_NODE}" (core's MINIMUM_NODE)`,
      'bugs.url is missing or not the issues page',
      'keywords are missing',
      'no prepack script: packing an unbuilt tree would ship no dist/',
    ]);
  });

  it('catches a repository.directory that is not the package folder', () => {
    expect(manifestProblems(goodManifest(), 'packages/other')).toEqual([
      'repository.directory is "packages/example", not "packages/other"',
    ]);
  });
});

describe('package lint: shipped files', () => {
  it('a built package with README, LICENSE and maps to shipped sources passes', () => {
    const files = {
      ...SHIPPED,
      'src/index.ts': 'export {};\n',
      'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: '' }),
    };
    expect(contentProblems(packed(files), '@switchboard/example')).toEqual([]);
  });

  it('an unbuilt package (only package.json) is refused', () => {
    expect(contentProblems(packed({ 'package.json': '{}' }), '@switchboard/example')).toEqual([
      'no dist/ shipped: build before packing',
      'README.md not shipped',
      'LICENSE not shipped',
    ]);
  });

  it('a source map pointing at a source not shipped is refused', () => {
    const files = {
      ...SHIPPED,
      'dist/cli/bin.js.map': JSON.stringify({ version: 3, sources: ['../../src/cli/bin.ts'], mappings: '' }),
    };
    expect(contentProblems(packed(files), '@switchboard/example')).toEqual([
      'dist/cli/bin.js.map points at src/cli/bin.ts, which is not shipped',
    ]);
  });

  it('a README link leaving the package is refused (npm shows the README alone)', () => {
    const files = { ...SHIPPED, 'README.md': 'Part of [Switchboard](../../README.md).\n' };
    expect(contentProblems(packed(files), '@switchboard/example')).toEqual([
      'README.md links to ../../README.md, outside the package (it is read on npm)',
    ]);
  });
});
