import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { providerFromYaml } from '@switchboard/core/yaml';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../src/diagnostics.ts';
import { loadCatalog } from '../src/load.ts';
import { catalogDir, tempDir } from './helpers.ts';

// npm users build providers at run time with providerFromYaml; the repository generates packages with
// codegen. Both must say the same thing, at the same file:line:col, about the same bad YAML.
const groq = readFileSync(path.join(catalogDir, 'providers/groq.yaml'), 'utf8');
const dir = tempDir('yaml-parity');

/** groq.yaml broken in one way, saved as `<dir>/groq.yaml` (named after its id, as codegen requires). */
const BROKEN: Record<string, (text: string) => string> = {
  'an unknown enum value': (text) => text.replace(/^protocol: .*$/m, 'protocol: openai-chatt'),
  'an unknown key with a suggestion': (text) => text.replace(/^name: /m, 'nmae: '),
  'an unknown capability': (text) => text.replace(/^capabilities: \[/m, 'capabilities: [functoin-calling, '),
  'a default model that does not exist': (text) => text.replace(/^defaultModel: .*$/m, 'defaultModel: no-such-model'),
  'a YAML syntax error': (text) => text.replace(/^name: (.*)$/m, 'name: [$1'),
  'a missing required key': (text) => text.replace(/^baseURL: .*\n/m, ''),
};

function codegenProblems(file: string): string {
  try {
    loadCatalog({ catalogDir, providerFiles: [file] });
  } catch (error) {
    if (error instanceof CatalogError) return error.message;
    throw error;
  }
  return '';
}

async function runtimeProblems(file: string): Promise<string> {
  try {
    await providerFromYaml(file);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('providerFromYaml and codegen report the same problems', () => {
  it('both accept the catalog file as it is', async () => {
    const file = path.join(dir, 'groq.yaml');
    writeFileSync(file, groq);
    expect(codegenProblems(file)).toBe('');
    expect(await runtimeProblems(file)).toBe('');
  });

  for (const [name, breakIt] of Object.entries(BROKEN)) {
    it(name, async () => {
      const broken = breakIt(groq);
      expect(broken).not.toBe(groq);
      const file = path.join(dir, 'groq.yaml');
      writeFileSync(file, broken);
      const expected = codegenProblems(file);
      expect(expected).toMatch(/^\S*groq\.yaml:\d+:\d+: /);
      expect(await runtimeProblems(file)).toBe(expected);
    });
  }
});
