import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwitchboard } from '../composition/create-switchboard.js';
import { ConfigurationError } from '../errors/errors.js';
import { checkProviderYaml, ProviderYamlError, providerFromYaml, providerTemplate } from './index.js';

/** A provider an npm user writes by hand: OpenAI's protocol at their own server. */
function acmeYaml(baseURL: string): string {
  return `id: acme
name: Acme
protocol: openai-chat
baseURL: ${baseURL}
auth:
  type: bearer
  env: [ACME_API_KEY]
endpoints:
  chat: /chat/completions
capabilities: [streaming, function_calling]
defaultModel: acme-large
models:
  - id: acme-large
    name: Acme Large
    aliases: [acme-large-latest]
    type: chat
    status: active
    limits: { context: 128000, output: 8192 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
`;
}

const requests: { url: string; authorization?: string; body: { model?: string } }[] = [];
let server: Server;
let baseURL: string;
const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-yaml-provider-'));

beforeAll(async () => {
  // A loopback server speaking OpenAI's chat completions, as the user's provider would.
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as { model?: string };
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-acme',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'Hi from Acme' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('providerFromYaml', () => {
  it('builds a provider at run time that serves a chat against its server, priced from the YAML', async () => {
    const acme = await providerFromYaml(acmeYaml(baseURL), { settings: { apiKey: 'acme-key' } });
    expect(acme.id).toBe('acme');
    // Capabilities are normalized to canonical names, as codegen does (function_calling -> tools).
    expect(acme.descriptor.capabilities).toEqual(['streaming', 'tools']);
    expect(acme.aliases).toEqual({ 'acme-large-latest': 'acme-large' });
    const sb = createSwitchboard({ providers: [acme] });
    const response = await sb.chat({ model: 'acme/acme-large-latest', messages: [{ role: 'user', content: 'hi' }] });
    expect(response.text).toBe('Hi from Acme');
    expect(response.provider).toBe('acme');
    expect(requests.at(-1)).toMatchObject({
      url: '/v1/chat/completions',
      authorization: 'Bearer acme-key',
      body: { model: 'acme-large' },
    });
    // 1000 input tokens at $1/1M plus 500 output tokens at $2/1M.
    expect(response.cost?.total).toBeCloseTo(0.002, 10);
  });

  it('reads a file by path or file: URL', async () => {
    const file = path.join(dir, 'acme.yaml');
    writeFileSync(file, acmeYaml(baseURL));
    expect((await providerFromYaml(file)).models.map((model) => model.ref)).toEqual(['acme/acme-large']);
    expect((await providerFromYaml(pathToFileURL(file))).id).toBe('acme');
  });

  it('rejects a bad file with every problem at its file:line:col, as a ConfigurationError', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(
      file,
      acmeYaml(baseURL).replace('  type: bearer', '  type: bearr').replace('[streaming, tools]', '[streaming, tolls]'),
    );
    const error = await providerFromYaml(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderYamlError);
    expect(error).toBeInstanceOf(ConfigurationError);
    const shown = path.relative(process.cwd(), file).split(path.sep).join('/');
    expect((error as ProviderYamlError).message.split('\n')).toEqual([
      `${shown}:6:9: auth.type: must be one of: bearer, header, query, aws-sigv4, none`,
      `${shown}:20:31: models[0].capabilities[1]: unknown capability 'tolls' (did you mean 'tools'?)`,
    ]);
  });

  it('reports problems in YAML text under the given display path', async () => {
    const text = acmeYaml(baseURL).replace('defaultModel: acme-large', 'defaultModel: acme-small');
    const { displayPath, diagnostics } = await checkProviderYaml(text, { displayPath: 'inline.yaml' });
    expect(displayPath).toBe('inline.yaml');
    expect(diagnostics).toEqual([
      {
        file: 'inline.yaml',
        line: 11,
        column: 15,
        path: 'defaultModel',
        message: "defaultModel 'acme-small' is not a model of this provider",
      },
    ]);
  });

  it('reports a YAML syntax error at its line', async () => {
    const { diagnostics } = await checkProviderYaml('id: acme\nname: [unclosed\n');
    expect(diagnostics[0]).toMatchObject({ file: '<yaml>', line: 3 });
  });

  it('names a file it cannot read', async () => {
    await expect(providerFromYaml(path.join(dir, 'missing.yaml'))).rejects.toThrow(
      /cannot read provider YAML .*missing\.yaml/,
    );
  });

  it('ships a template that validates, with a modeline pointing at the published schema', async () => {
    const template = await providerTemplate();
    expect(template.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://unpkg.com/@switchboard/core/schema/provider.schema.json',
    );
    expect((await checkProviderYaml(template)).diagnostics).toEqual([]);
  });
});
