import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from './support/fake-openai.ts';
import { cleanEnv, runCli } from './support/spawn-cli.ts';

// The CLI installed with no provider package (or only provider-openai): a module hook makes every other
// `@switchboard/provider-*` fail to resolve exactly as an absent package does.
const NONE: string[] = ['provider-mock'];
const OPENAI_ONLY = ['provider-mock', 'provider-openai'];

describe('the CLI with provider packages absent', () => {
  it('--help works with every provider package absent', async () => {
    const result = await runCli(['--help'], { installed: [] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const command of ['providers', 'models', 'recommend', 'cost', 'chat', 'provider']) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
  });

  it('catalog commands cover every provider of the catalog without their packages', async () => {
    const providers = await runCli(['providers', '--json'], { installed: NONE });
    expect(providers.stderr).toBe('');
    const ids = (JSON.parse(providers.stdout) as { id: string }[]).map((row) => row.id);
    expect(ids).toEqual(expect.arrayContaining(['anthropic', 'bedrock', 'gemini', 'openai', 'ollama', 'xai']));
    expect(ids.length).toBeGreaterThanOrEqual(16);

    const models = await runCli(['models', '-p', 'bedrock', 'anthropic', '--json'], { installed: NONE });
    const refs = (JSON.parse(models.stdout) as { provider: string }[]).map((model) => model.provider);
    expect(new Set(refs)).toEqual(new Set(['bedrock', 'anthropic']));

    const model = await runCli(['model', 'anthropic/claude-sonnet-4-5', '--json'], { installed: NONE });
    expect(model.code).toBe(0);
    expect(JSON.parse(model.stdout)).toMatchObject({ provider: 'anthropic' });

    const cost = await runCli(['cost', 'gemini/gemini-2.5-flash', '--input', '1000', '--output', '100', '--json'], {
      installed: NONE,
    });
    expect(cost.code).toBe(0);
    expect(JSON.parse(cost.stdout).cost.total).toBeGreaterThan(0);

    const recommend = await runCli(['recommend', '--features', 'tools', '--json'], { installed: NONE });
    expect(recommend.code).toBe(0);
    expect((JSON.parse(recommend.stdout) as unknown[]).length).toBeGreaterThan(0);

    const compare = await runCli(['compare', 'openai/gpt-4o', 'anthropic/claude-sonnet-4-5', '--json'], {
      installed: NONE,
    });
    expect(compare.code).toBe(0);
  });

  it('chat with a provider whose package is absent names the package to install, before any request', async () => {
    const result = await runCli(['chat', 'hi', '--model', 'anthropic/claude-sonnet-4-5'], {
      installed: OPENAI_ONLY,
      env: cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm install @switchboard/provider-anthropic');
    expect(result.stderr).not.toContain('    at ');
  });

  it('models --live with an absent package names the package to install', async () => {
    const result = await runCli(['models', '--live', 'ollama'], { installed: OPENAI_ONLY });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm install @switchboard/provider-ollama');
  });
});

describe('the CLI with only provider-openai installed', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());

  it('chat picks OpenAI from its key and loads only its package', async () => {
    const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.url });
    const result = await runCli(['chat', 'Say hello'], { installed: OPENAI_ONLY, env });
    expect(result.stderr).toContain('using openai/');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Hello from the fake server');
    expect(fake.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', authorization: 'Bearer sk-test-key' });
  });
});
