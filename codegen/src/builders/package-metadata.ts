import type { Output } from '../output.ts';

/**
 * What every published Switchboard package says about where it comes from and what it runs on, in
 * one place so generated packages and hand-written ones agree (`scripts/package-lint.ts` checks the
 * hand-written ones against the same values).
 */

/** The public repository of every package. */
export const REPOSITORY_URL = 'https://github.com/switchboard-dev/switchboard';

/**
 * `engines.node` of every package: Node 22.19, the oldest undici 8 runs on (eventsource-parser needs
 * 22.12). Core refuses older Nodes at import with the same number (`MINIMUM_NODE` in
 * packages/core/src/node-version.ts).
 */
export const NODE_ENGINES = '>=22.19.0';

/** `keywords`, `homepage`, `bugs` and `repository` (with the package's folder) of a package. */
export function publishMetadata(directory: string, keywords: readonly string[]) {
  return {
    keywords: [...keywords],
    homepage: `${REPOSITORY_URL}/tree/main/${directory}#readme`,
    bugs: { url: `${REPOSITORY_URL}/issues` },
    repository: { type: 'git', url: `git+${REPOSITORY_URL}.git`, directory },
  };
}

/**
 * The `prepack` script: builds the package and what it depends on (turbo, cached), so `pnpm pack` or
 * `pnpm publish` of an unbuilt tree never produces a package holding only its package.json.
 */
export function prepackScript(packageName: string): string {
  return `turbo run build --filter=${packageName} --output-logs=errors-only`;
}

/** The MIT licence every package ships (the same text as the repository's LICENSE). */
export const LICENSE_TEXT = `MIT License

Copyright (c) 2026 Switchboard contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

/** The package's `LICENSE` file. */
export function licenseFile(directory: string): Output {
  return { kind: 'text', path: `${directory}/LICENSE`, text: LICENSE_TEXT };
}
