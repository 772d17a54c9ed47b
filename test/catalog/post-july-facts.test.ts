import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultUpstreamDir } from '@switchboard/catalog-tools';
import type { ModelPricing, ModelStatus } from '@switchboard/core';
import { calculateCost, effectiveStatus } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The facts entered from the post-July models.dev sample (issue 14) as the catalog YAML states them:
 * what a call costs at a given moment under the time-bound and time-of-day prices, the retired model's
 * successor, and that every citation of the sample names a file that is there at the commit
 * PROVENANCE.tsv gives. Read from the YAML (not the generated packages) so a wrong edit fails here
 * with the file's own numbers; codegen:check covers the generated copy.
 */

interface ModelEntry {
  id: string;
  aliases?: string[];
  status: ModelStatus;
  retires?: string;
  replacedBy?: string;
  pricing?: ModelPricing;
  source?: { notes?: string };
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const providersDir = join(repositoryRoot, 'catalog/providers');

function modelsOf(provider: string): ModelEntry[] {
  const document = parse(readFileSync(join(providersDir, `${provider}.yaml`), 'utf8')) as { models: ModelEntry[] };
  return document.models;
}

function model(provider: string, id: string): ModelEntry {
  const found = modelsOf(provider).find((entry) => entry.id === id);
  if (!found) throw new Error(`${provider}.yaml lists no model ${id}`);
  return found;
}

/**
 * Total USD of a call with 100k input and 1M output tokens made at `at`: input below every context band
 * (272k on GPT-5.6), so the expected total is a tenth of the input rate plus the output rate.
 */
function costAt(provider: string, id: string, at: string): number | undefined {
  const cost = calculateCost(
    model(provider, id).pricing,
    { inputTokens: 100_000, outputTokens: 1_000_000 },
    new Date(at),
  );
  return cost?.total;
}

/** The expected total of that call for per-1M rates `input` / `output`. */
function expected(input: number, output: number): number {
  return input / 10 + output;
}

describe('DeepSeek V4 peak / off-peak prices (since 2026-08-16, Beijing time)', () => {
  it('bills deepseek-v4-pro at the sample peak rates ($1.32/$3.96) inside a peak window', () => {
    // 10:00 and 15:30 in Asia/Shanghai (UTC+8).
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-12-07T02:00:00Z')).toBeCloseTo(expected(1.32, 3.96), 9);
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-12-07T07:30:00Z')).toBeCloseTo(expected(1.32, 3.96), 9);
  });

  it('bills deepseek-v4-pro at the off-peak (July) rates ($0.435/$0.87) outside the windows', () => {
    // 12:00 (a window's exclusive end), 20:00 and 03:00 in Asia/Shanghai.
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-12-07T04:00:00Z')).toBeCloseTo(expected(0.435, 0.87), 9);
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-12-07T12:00:00Z')).toBeCloseTo(expected(0.435, 0.87), 9);
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-12-06T19:00:00Z')).toBeCloseTo(expected(0.435, 0.87), 9);
  });

  it('bills a peak-hour call before 2026-08-16 at the one July price', () => {
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-08-15T02:00:00Z')).toBeCloseTo(expected(0.435, 0.87), 9);
    expect(costAt('deepseek', 'deepseek-v4-pro', '2026-08-16T02:00:00Z')).toBeCloseTo(expected(1.32, 3.96), 9);
  });

  it('retires deepseek-v4-flash in favour of deepseek-flash, a model the same file lists', () => {
    const retired = model('deepseek', 'deepseek-v4-flash');
    expect(effectiveStatus(retired, new Date('2026-12-07T00:00:00Z'))).toBe('retired');
    expect(retired.replacedBy).toBe('deepseek-flash');
    expect(model('deepseek', 'deepseek-flash').status).toBe('active');
  });
});

describe('date-bound prices', () => {
  it('bills gemini-3.8-flash at its introductory $0.75/$3.75 through 2026-12-31 and $1.50/$7.50 after', () => {
    expect(costAt('gemini', 'gemini-3.8-flash', '2026-12-31T23:59:59Z')).toBeCloseTo(expected(0.75, 3.75), 9);
    expect(costAt('gemini', 'gemini-3.8-flash', '2027-01-01T00:00:00Z')).toBeCloseTo(expected(1.5, 7.5), 9);
  });

  it("bills Azure's gpt-5.6-sol at the promotional $4/$20 from 2026-09-01 to 2026-11-30 and $5/$30 outside", () => {
    expect(costAt('azure-openai', 'gpt-5.6-sol', '2026-08-31T23:59:59Z')).toBeCloseTo(expected(5, 30), 9);
    expect(costAt('azure-openai', 'gpt-5.6-sol', '2026-09-01T00:00:00Z')).toBeCloseTo(expected(4, 20), 9);
    expect(costAt('azure-openai', 'gpt-5.6-sol', '2026-11-30T23:59:59Z')).toBeCloseTo(expected(4, 20), 9);
    expect(costAt('azure-openai', 'gpt-5.6-sol', '2026-12-01T00:00:00Z')).toBeCloseTo(expected(5, 30), 9);
  });

  it("keeps OpenAI's list price for gpt-5.6 and gpt-5.6-sol ($5/$30), not the sample's $2/$10", () => {
    for (const id of ['gpt-5.6', 'gpt-5.6-sol']) {
      expect(costAt('openai', id, '2026-12-07T00:00:00Z')).toBeCloseTo(expected(5, 30), 9);
    }
  });
});

const upstreamDir = defaultUpstreamDir(repositoryRoot);
const sampleDir = upstreamDir ? join(upstreamDir, 'models.dev-post-2026-07') : undefined;

describe.skipIf(!sampleDir || !existsSync(sampleDir))('citations of the post-July sample', () => {
  it('name files that are in the sample, at the commit its PROVENANCE.tsv gives', () => {
    const directory = sampleDir as string;
    const provenance = new Map(
      readFileSync(join(directory, 'PROVENANCE.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t') as [string, string]),
    );
    const citation = /((?:providers|models)\/[\w./-]+?\.toml)(?:@([0-9a-f]{7,40}))?/g;
    let checked = 0;
    const problems: string[] = [];
    for (const file of readdirSync(providersDir).filter((name) => name.endsWith('.yaml'))) {
      const text = readFileSync(join(providersDir, file), 'utf8');
      for (const line of text
        .split('\n')
        .filter((content) => content.includes('post-July') || content.includes('models.dev-post-2026-07'))) {
        for (const [, path, commit] of line.matchAll(citation)) {
          // "models/…" inside "providers/x/models/…" is matched as part of the longer path first.
          const known = provenance.get(path as string);
          const inJulySnapshot = existsSync(join(upstreamDir as string, 'models.dev', path as string));
          if (known === undefined && !inJulySnapshot) {
            // A cited base file the sample lacks is named as missing in the YAML; it must say so.
            if (!/not in the sample|not its base file|in neither the sample/.test(line))
              problems.push(`${file}: ${path} is not in the sample`);
            continue;
          }
          if (commit !== undefined && known !== undefined && !known.startsWith(commit)) {
            problems.push(`${file}: ${path}@${commit}, PROVENANCE.tsv says ${known}`);
          }
          checked += 1;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });
});
