import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogDir, problemsOf, repoRoot, tempDir } from './helpers.ts';

// A valid provider; each test breaks one line and checks the exact file:line:col of the report.
const VALID = `id: acme
name: Acme
protocol: openai-chat
baseURL: https://api.acme.test/v1
auth:
  type: bearer
  env: [ACME_API_KEY]
endpoints:
  chat: /chat/completions
capabilities: [streaming]
defaultModel: acme-large
models:
  - id: acme-large
    name: Acme Large
    type: chat
    status: active
    limits: { context: 128000, output: 8192 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
`;

/** VALID with its line `line` (1-based) replaced; `null` deletes it. */
function withLine(line: number, replacement: string | null): string {
  const lines = VALID.split('\n');
  if (replacement === null) lines.splice(line - 1, 1);
  else lines[line - 1] = replacement;
  return lines.join('\n');
}

describe('catalog errors point at the YAML', () => {
  it('accepts the valid base', () => {
    expect(problemsOf(VALID)).toEqual([]);
  });

  it('unknown key: names the key, points at it and suggests the closest', () => {
    expect(problemsOf(withLine(20, '    pricng: { input: 1, output: 2 }'))).toEqual([
      "catalog/providers/acme.yaml:20:5: models[0].pricng: unknown key 'pricng' (did you mean 'pricing'?)",
    ]);
  });

  it('wrong type', () => {
    expect(problemsOf(withLine(20, '    pricing: { input: cheap, output: 2 }'))).toEqual([
      'catalog/providers/acme.yaml:20:23: models[0].pricing.input: must be number',
    ]);
  });

  it('bad enum value lists the allowed values', () => {
    expect(problemsOf(withLine(15, '    type: chatbot'))).toEqual([
      'catalog/providers/acme.yaml:15:11: models[0].type: must be one of: chat, embedding, image, audio, rerank, moderation',
    ]);
  });

  it('missing required field points at the object lacking it', () => {
    expect(problemsOf(withLine(16, null))).toEqual([
      "catalog/providers/acme.yaml:13:5: models[0]: missing required key 'status'",
    ]);
  });

  it('unknown capability suggests the closest canonical name', () => {
    expect(problemsOf(withLine(19, '    capabilities: [streaming, toolz]'))).toEqual([
      "catalog/providers/acme.yaml:19:31: models[0].capabilities[1]: unknown capability 'toolz' (did you mean 'tools'?)",
    ]);
  });

  it('capability aliases are normalized before validation', () => {
    expect(problemsOf(withLine(19, '    capabilities: [Supports_Streaming, function_calling, tool_use]'))).toEqual([]);
  });

  it('duplicate model id', () => {
    const text = `${VALID}  - id: acme-large\n    name: Again\n    type: chat\n    status: active\n    limits: { context: 1000 }\n    modalities: { input: [text], output: [text] }\n    capabilities: []\n`;
    expect(problemsOf(text)).toEqual([
      "catalog/providers/acme.yaml:21:9: models[1].id: duplicate model id 'acme-large' (first at models[0])",
    ]);
  });

  it('limits larger than the context window', () => {
    const text = `${VALID}  - id: acme-wide\n    name: Wide\n    type: chat\n    status: active\n    limits: { context: 1000, input: 2000, output: 4000 }\n    modalities: { input: [text], output: [text] }\n    capabilities: []\n`;
    expect(problemsOf(text)).toEqual([
      'catalog/providers/acme.yaml:25:37: models[1].limits.input: input limit 2000 exceeds the context window 1000',
      'catalog/providers/acme.yaml:25:51: models[1].limits.output: output limit 4000 exceeds the context window 1000',
    ]);
  });

  it('semantic checks: default model, alias shadowing, embedding dimensions, file name', () => {
    const text = `${withLine(11, 'defaultModel: acme-huge').replace('name: Acme Large', 'name: Acme Large\n    aliases: [acme-embed]')}  - id: acme-embed\n    name: Embed\n    type: embedding\n    status: active\n    limits: { context: 1000 }\n    modalities: { input: [text], output: [text] }\n    capabilities: [embeddings]\n`;
    expect(problemsOf(text, 'other.yaml')).toEqual([
      "catalog/providers/other.yaml:1:5: id: id 'acme' must match the file name 'other.yaml'",
      "catalog/providers/other.yaml:11:15: defaultModel: defaultModel 'acme-huge' is not a model of this provider",
      "catalog/providers/other.yaml:15:15: models[0].aliases[0]: alias 'acme-embed' shadows the id of models[1]",
      "catalog/providers/other.yaml:22:5: models[1]: embedding model 'acme-embed' needs embedding.dimensions",
    ]);
  });

  it('the command exits 1 with the report and no stack trace', () => {
    const root = tempDir('cli-error');
    cpSync(catalogDir, path.join(root, 'catalog'), { recursive: true });
    writeFileSync(path.join(root, 'catalog/providers/acme.yaml'), withLine(15, '    type: chatbot'));
    let status = 0;
    let stderr = '';
    try {
      execFileSync(
        process.execPath,
        [
          path.join(repoRoot, 'codegen/src/main.ts'),
          '--catalog',
          path.join(root, 'catalog'),
          '--out',
          path.join(root, 'out'),
          '--check',
        ],
        {
          cwd: root,
          stdio: 'pipe',
          encoding: 'utf8',
        },
      );
    } catch (error) {
      const failure = error as { status: number; stderr: string };
      status = failure.status;
      stderr = failure.stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain('catalog/providers/acme.yaml:15:11: models[0].type: must be one of:');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('variable names: one, or a list whose first set one wins', () => {
  const withBaseURLEnv = (value: string) => withLine(7, `  env: [ACME_API_KEY]\n  baseURLEnv: ${value}`);

  it('accepts a name and a list of names', () => {
    expect(problemsOf(withBaseURLEnv('ACME_BASE_URL'))).toEqual([]);
    expect(problemsOf(withBaseURLEnv('[ACME_BASE_URL, ACME_API_BASE]'))).toEqual([]);
  });

  it("a bad name in a list points at that item, without the other shape's noise", () => {
    expect(problemsOf(withBaseURLEnv('[ACME_BASE_URL, acme-base]'))).toEqual([
      'catalog/providers/acme.yaml:8:31: auth.baseURLEnv[1]: must match pattern "^[A-Z_][A-Z0-9_]*$"',
    ]);
  });

  it('a bad single name, an empty list and a value of neither shape get one line each', () => {
    expect(problemsOf(withBaseURLEnv('acme_base'))).toEqual([
      'catalog/providers/acme.yaml:8:15: auth.baseURLEnv: must match pattern "^[A-Z_][A-Z0-9_]*$"',
    ]);
    expect(problemsOf(withBaseURLEnv('[]'))).toEqual([
      'catalog/providers/acme.yaml:8:15: auth.baseURLEnv: must NOT have fewer than 1 items',
    ]);
    expect(problemsOf(withBaseURLEnv('5'))).toEqual([
      'catalog/providers/acme.yaml:8:15: auth.baseURLEnv: must be string or array',
    ]);
  });
});
