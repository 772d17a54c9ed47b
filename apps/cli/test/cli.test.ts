import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultUpstreamDir } from '@switchboard/catalog-tools';
import { beforeAll, describe, expect, it } from 'vitest';

// The CLI is tested as users run it: a spawned process on the built output (`./run test` builds first).
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function json<T>(...args: string[]): Promise<T> {
  const result = await cli(...args, '--json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface ModelRow {
  provider: string;
  id: string;
  ref: string;
  name: string;
  type: string;
  status: string;
  limits: { context: number; output?: number };
  pricing?: { input: number; output: number };
  capabilities: string[];
  aliases?: string[];
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (./run test does).`);
});

describe('switchboard providers', () => {
  it('lists every catalog provider with protocol and key status', async () => {
    const rows = await json<{ id: string; protocol: string; local: boolean; env: string[] }[]>('providers');
    const ids = rows.map((r) => r.id);
    for (const id of [
      'openai',
      'anthropic',
      'gemini',
      'bedrock',
      'azure-openai',
      'groq',
      'mistral',
      'perplexity',
      'xai',
      'openrouter',
      'deepseek',
      'together',
      'ollama',
      'lmstudio',
      'vllm',
      'mock',
    ]) {
      expect(ids).toContain(id);
    }
    expect(rows.find((r) => r.id === 'anthropic')?.protocol).toBe('anthropic-messages');
    expect(rows.find((r) => r.id === 'ollama')?.local).toBe(true);
  });

  it('prints an aligned table for people', async () => {
    const { stdout, code } = await cli('providers');
    expect(code).toBe(0);
    const [header, rule, ...lines] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+PROTOCOL/);
    expect(rule).toMatch(/^-+\s+-+/);
    // Every row's PROTOCOL column starts where the header's does.
    const column = (header as string).indexOf('PROTOCOL');
    for (const line of lines)
      expect(line.slice(column)).toMatch(/^(openai-chat|anthropic-messages|gemini|bedrock-converse|ollama|mock)\b/);
  });
});

describe('switchboard models', () => {
  it('--json prints every model with the documented fields', async () => {
    const models = await json<ModelRow[]>('models');
    expect(models.length).toBeGreaterThan(100);
    for (const m of models) {
      expect(typeof m.provider).toBe('string');
      expect(typeof m.id).toBe('string');
      expect(typeof m.name).toBe('string');
      expect(['chat', 'embedding', 'image', 'audio', 'rerank', 'moderation']).toContain(m.type);
      expect(typeof m.status).toBe('string');
      expect(m.limits.context).toBeGreaterThan(0);
      expect(Array.isArray(m.capabilities)).toBe(true);
      if (m.pricing) {
        expect(m.pricing.input).toBeGreaterThanOrEqual(0);
        expect(m.pricing.output).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('filters by provider, feature alias, price and context', async () => {
    const viaAlias = await json<ModelRow[]>('models', '--provider', 'anthropic', '--feature', 'tool_use');
    const viaCanonical = await json<ModelRow[]>('models', '--provider', 'anthropic', '--feature', 'tools');
    expect(viaAlias.map((m) => m.ref)).toEqual(viaCanonical.map((m) => m.ref));
    expect(viaAlias.length).toBeGreaterThan(0);
    expect(viaAlias.every((m) => m.provider === 'anthropic' && m.capabilities.includes('tools'))).toBe(true);

    const cheap = await json<ModelRow[]>('models', '--max-cost', '1', '--min-context', '100k', '--feature', 'vision');
    expect(cheap.length).toBeGreaterThan(0);
    for (const m of cheap) {
      expect(m.limits.context).toBeGreaterThanOrEqual(100_000);
      expect(m.capabilities).toContain('vision');
      expect(((m.pricing?.input ?? 0) * 3 + (m.pricing?.output ?? 0)) / 4).toBeLessThanOrEqual(1);
    }
  });

  it('rejects an unknown feature with the closest name', async () => {
    const { code, stderr } = await cli('models', '--feature', 'visoin');
    expect(code).not.toBe(0);
    expect(stderr).toContain('unknown feature "visoin"');
    expect(stderr).toContain('Did you mean "vision"?');
  });

  it('rejects an unknown flag with the closest flag', async () => {
    const { code, stderr } = await cli('models', '--max-cots', '2');
    expect(code).not.toBe(0);
    expect(stderr).toContain("unknown option '--max-cots'");
    expect(stderr).toContain('--max-cost');
  });
});

describe('switchboard model', () => {
  it('shows a model found through an alias', async () => {
    const models = await json<ModelRow[]>('models', '--provider', 'openai');
    const withAlias = models.find((m) => (m.aliases?.length ?? 0) > 0);
    expect(withAlias).toBeDefined();
    const alias = `openai/${withAlias?.aliases?.[0]}`;
    const model = await json<ModelRow>('model', alias);
    expect(model.ref).toBe(withAlias?.ref);
    const { stdout } = await cli('model', alias);
    expect(stdout).toContain(`model         ${withAlias?.ref}`);
  });

  it('names the closest match for an unknown model', async () => {
    const { code, stderr } = await cli('model', 'anthropic/claude-sonet-4-5');
    expect(code).toBe(1);
    expect(stderr).toMatch(/not in the catalog\. Did you mean "anthropic\/claude-sonnet-4-5/);
  });
});

describe('switchboard recommend', () => {
  it('returns models meeting every requirement, best first, with reasons', async () => {
    const results = await json<{ ref: string; score: number; reasons: string[]; model: ModelRow }[]>(
      'recommend',
      '--features',
      'vision,function_calling',
      '--min-context',
      '100000',
      '--max-cost',
      '5',
      '--limit',
      '4',
    );
    expect(results).toHaveLength(4);
    for (const r of results) {
      expect(r.model.capabilities).toEqual(expect.arrayContaining(['vision', 'tools']));
      expect(r.model.limits.context).toBeGreaterThanOrEqual(100_000);
      expect(r.reasons.length).toBeGreaterThan(0);
    }
    const scores = results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('--prefer-local puts local models first', async () => {
    const results = await json<{ ref: string; model: ModelRow }[]>(
      'recommend',
      '--features',
      'tools',
      '--prefer-local',
      '--limit',
      '3',
    );
    expect(['ollama', 'lmstudio', 'vllm']).toContain(results[0]?.model.provider);
  });
});

describe('switchboard compare and cost', () => {
  it('compares models side by side', async () => {
    const comparison = await json<{ models: { ref: string }[]; cheapest?: string }>(
      'compare',
      'openai/gpt-4o',
      'anthropic/claude-sonnet-4-5',
    );
    expect(comparison.models.map((m) => m.ref)).toEqual(['openai/gpt-4o', 'anthropic/claude-sonnet-4-5']);
    expect(comparison.cheapest).toBe('openai/gpt-4o');
    const { stdout } = await cli('compare', 'openai/gpt-4o', 'anthropic/claude-sonnet-4-5');
    expect(stdout).toMatch(/context\s+128,000\s+200,000/);
  });

  it('prices a call from the catalog', async () => {
    // gpt-4o: $2.50 in, $10 out per 1M; 1M in (250k cached at $1.25) + 200k out.
    const result = await json<{ cost: { input: number; cacheRead: number; output: number; total: number } }>(
      'cost',
      'openai/gpt-4o',
      '--input',
      '1000000',
      '--output',
      '200000',
      '--cache-read',
      '250000',
    );
    expect(result.cost.input).toBeCloseTo(1.875, 10);
    expect(result.cost.cacheRead).toBeCloseTo(0.3125, 10);
    expect(result.cost.output).toBeCloseTo(2, 10);
    expect(result.cost.total).toBeCloseTo(4.1875, 10);
    const { stdout } = await cli('cost', 'openai/gpt-4o', '--input', '1000', '--output', '1000');
    expect(stdout).toContain('total');
    expect(stdout).toContain('$0.0125');
  });

  it('refuses cache tokens above the input', async () => {
    const { code, stderr } = await cli('cost', 'openai/gpt-4o', '--input', '10', '--output', '1', '--cache-read', '11');
    expect(code).toBe(1);
    expect(stderr).toContain('--cache-read');
  });
});

describe('switchboard catalog check', () => {
  it('reports coverage and disagreements per provider against the upstream snapshots', async () => {
    const report = await json<{
      providers: { provider: string; found: unknown[]; disagreements: { field: string; follows: string }[] }[];
    }>(
      'catalog',
      'check',
      '--upstream',
      defaultUpstreamDir(import.meta.dirname) ?? '',
      '--provider',
      'openai',
      'anthropic',
    );
    expect(report.providers.map((p) => p.provider)).toEqual(['openai', 'anthropic']);
    for (const p of report.providers) expect(p.found.length).toBeGreaterThan(5);
  });
});

describe('switchboard demo', () => {
  it('runs offline with no key', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.endsWith('_API_KEY')));
    const result = await new Promise<Result>((resolve) =>
      execFile(process.execPath, [bin, 'demo'], { env }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(result.code).toBe(0);
    // The demo keeps its mock fallback, and says so on stdout (not only on stderr).
    expect(result.stdout).toContain(
      'Chat with mock/mock-chat (no API key is set and no local server answered, so this is the offline mock provider)',
    );
    expect(result.stdout).toMatch(/Switchboard catalog: \d+ providers, \d+ models/);
    expect(result.stdout).toContain('1. ');
  });
});
