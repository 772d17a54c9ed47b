/**
 * Copies the recorded exchanges the contract tests use from ../shared/fixtures (see its INDEX.md)
 * into test/contract/fixtures/<provider>/<name>.json with their provenance. Run from the repo root:
 *   node test/contract/scripts/import-fixtures.ts
 * Bodies are kept as recorded (JSON parsed, SSE text verbatim); only cookie headers are dropped.
 * `.chunks.txt` files (SSE framing stripped upstream) get `data: <line>\n\n` framing and `data: [DONE]`
 * back, which the provenance notes say.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED = resolve(ROOT, '../shared/fixtures');
const OUT = resolve(ROOT, 'test/contract/fixtures');

const COMMITS: Record<string, string> = {
  'crewAIInc/crewAI': 'f4731f5025f861c78e3af0487cc80bf5e7c64782',
  'cs3b/ace@0ca51057f13e': '0ca51057f13e7acdb4181ae2935e789070b32d85',
  'cs3b/ace@13f719e8498f': '13f719e8498f3a10862c66113a95c6bea149c352',
  'jackmpcollins/magentic': '58b72cf58134b9b888a9518932465d7187448e92',
  'pydantic/pydantic-ai': '4fda38988f2939fa6ea9cdefcf120693e10ef491',
  'vercel/ai': 'ed857f50f112e23930b0c2dd8d532cc8bebbc911',
};

/** INDEX.md rows: file -> { repo, path, commit, licence }. */
function readIndex(): Map<string, { repo: string; path: string; commit: string; licence: string }> {
  const rows = new Map<string, { repo: string; path: string; commit: string; licence: string }>();
  for (const line of readFileSync(resolve(SHARED, 'INDEX.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 8 || !cells[1]?.startsWith('`')) continue;
    const file = cells[1].replace(/`/g, '');
    const repo = cells[4] ?? '';
    const short = (cells[6] ?? '').replace(/`/g, '');
    const commit = COMMITS[`${repo}@${short}`] ?? COMMITS[repo] ?? short;
    rows.set(file, { repo, path: (cells[5] ?? '').replace(/`/g, ''), commit, licence: cells[7] ?? '' });
  }
  return rows;
}

const INDEX = readIndex();
const DROP_HEADERS = new Set(['set-cookie', 'cookie', 'authorization', 'api-key', 'x-api-key']);

function flatHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const name = k.toLowerCase();
    if (
      DROP_HEADERS.has(name) ||
      name === 'content-length' ||
      name === 'transfer-encoding' ||
      name === 'content-encoding'
    )
      continue;
    out[name] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return out;
}

function bodyString(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'string' in body) return String((body as { string: unknown }).string ?? '');
  return '';
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface Fixture {
  provenance: unknown;
  request?: { method: string; url: string; body?: unknown };
  response: { status: number; headers: Record<string, string>; body?: unknown; bodyText?: string };
}

function provenance(file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const row = INDEX.get(file);
  if (!row) throw new Error(`not in INDEX.md: ${file}`);
  return {
    source: `shared/fixtures/${file}`,
    repo: row.repo,
    path: row.path,
    commit: row.commit,
    licence: row.licence,
    ...extra,
  };
}

function fromCassette(file: string, interaction = 0, notes?: string): Fixture {
  const doc = parseYaml(readFileSync(resolve(SHARED, file), 'utf8')) as Record<string, unknown>;
  const list = (doc.interactions ?? doc.http_interactions) as Record<string, any>[];
  const it = list[interaction];
  if (!it) throw new Error(`${file}: no interaction ${interaction}`);
  const req = it.request;
  const res = it.response;
  const reqText = req.parsed_body !== undefined ? JSON.stringify(req.parsed_body) : bodyString(req.body);
  const headers = flatHeaders(res.headers);
  const response: Fixture['response'] = { status: Number(res.status?.code ?? res.status), headers };
  if (res.parsed_body !== undefined) response.body = res.parsed_body;
  else {
    const text = bodyString(res.body);
    const ct = headers['content-type'] ?? '';
    if (ct.includes('event-stream')) response.bodyText = text;
    else {
      const json = tryJson(text);
      if (json !== undefined) response.body = json;
      else response.bodyText = text;
    }
  }
  return {
    provenance: provenance(file, { interaction, ...(notes ? { notes } : {}) }),
    request: {
      method: String(req.method).toUpperCase(),
      url: req.uri,
      body: tryJson(reqText) ?? (reqText || undefined),
    },
    response,
  };
}

function fromBodyJson(file: string, status: number, notes?: string): Fixture {
  return {
    provenance: provenance(file, notes ? { notes } : {}),
    response: {
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.parse(readFileSync(resolve(SHARED, file), 'utf8')),
    },
  };
}

function fromChunks(file: string, done = true): Fixture {
  const lines = readFileSync(resolve(SHARED, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return {
    provenance: provenance(file, {
      notes: `SSE framing re-added: each line sent as "data: <line>\\n\\n"${done ? ', then "data: [DONE]"' : ' (no [DONE], as upstream)'}`,
    }),
    response: {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      bodyText: lines.map((l) => `data: ${l}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : ''),
    },
  };
}

const JOBS: [string, () => Fixture][] = [
  ['openai/chat-nonstream', () => fromCassette('openai/chat-nonstream.ace.yml')],
  ['openai/chat-nonstream-reasoning', () => fromCassette('openai/chat-nonstream-reasoning-usage.pydantic-ai.yaml')],
  ['openai/chat-stream-text', () => fromChunks('openai/chat-stream-text.vercel.chunks.txt')],
  ['openai/chat-stream-tool-call', () => fromCassette('openai/chat-stream-toolcall-then-text.pydantic-ai.yaml', 0)],
  [
    'openai/chat-stream-after-tool-result',
    () => fromCassette('openai/chat-stream-toolcall-then-text.pydantic-ai.yaml', 1),
  ],
  ['openai/chat-tool-call', () => fromCassette('openai/chat-toolcall-nonstream.pydantic-ai.yaml', 0)],
  ['openai/embeddings-base64', () => fromCassette('openai/embeddings-base64.pydantic-ai.yaml')],
  [
    'openai/embeddings-float',
    () => fromBodyJson('openai/embeddings-float.vercel.json', 200, 'vectors shortened upstream to 5 values'),
  ],
  ['openai/error-401', () => fromCassette('openai/error-401-invalid-api-key.ace.yml')],
  ['openai/error-400', () => fromCassette('openai/error-400-unsupported-value.pydantic-ai.yaml')],
  ['openai/error-404', () => fromCassette('openai/embeddings-error-404.pydantic-ai.yaml')],
  [
    'openai/error-429-quota',
    () =>
      fromBodyJson(
        'openai/error-insufficient-quota.vercel.json',
        429,
        'body only upstream; status 429 per OpenAI error-code docs',
      ),
  ],
  ['azure-openai/chat-nonstream', () => fromCassette('azure-openai/chat-nonstream.crewai.yaml')],
  ['azure-openai/chat-stream', () => fromCassette('azure-openai/chat-stream.crewai.yaml')],
  ['azure-openai/chat-tool-call', () => fromCassette('azure-openai/chat-tool-calls-nonstream.crewai.yaml', 0)],
  ['groq/chat-nonstream', () => fromCassette('groq/chat-nonstream.pydantic-ai.yaml')],
  ['groq/chat-stream-text', () => fromChunks('groq/chat-stream-text.vercel.chunks.txt')],
  ['groq/chat-tool-call', () => fromBodyJson('groq/chat-nonstream-tool-call.vercel.json', 200)],
  ['groq/chat-stream-tool-call', () => fromChunks('groq/chat-stream-tool-call.vercel.chunks.txt')],
  ['groq/error-400', () => fromCassette('groq/error-400-tool-use-failed.pydantic-ai.yaml', 0)],
  ['mistral/chat-nonstream', () => fromCassette('mistral/chat-nonstream.pydantic-ai.yaml')],
  ['mistral/chat-stream-text', () => fromCassette('mistral/chat-stream-text.magentic.yaml')],
  ['mistral/chat-tool-call', () => fromBodyJson('mistral/chat-nonstream-tool-call.vercel.json', 200)],
  ['mistral/chat-stream-tool-call', () => fromCassette('mistral/chat-stream-tool-call.magentic.yaml')],
  ['openrouter/chat-tool-call', () => fromCassette('openrouter/chat-tool-call-nonstream.pydantic-ai.yaml')],
  ['openrouter/chat-stream-tool-call', () => fromCassette('openrouter/chat-stream-tool-call-usage-cost.magentic.yaml')],
  ['openrouter/chat-stream-reasoning', () => fromCassette('openrouter/chat-stream-reasoning.pydantic-ai.yaml')],
  ['openrouter/error-401', () => fromCassette('openrouter/error-401-no-auth.crewai.yaml')],
  ['perplexity/chat-nonstream', () => fromBodyJson('perplexity/chat-nonstream.vercel.json', 200)],
  ['perplexity/chat-stream-text', () => fromChunks('perplexity/chat-stream-text.vercel.chunks.txt', false)],
  ['xai/chat-nonstream', () => fromBodyJson('xai/chat-nonstream.vercel.json', 200)],
  ['xai/chat-stream-text', () => fromChunks('xai/chat-stream-text.vercel.chunks.txt')],
  ['xai/chat-tool-call', () => fromBodyJson('xai/chat-nonstream-tool-call.vercel.json', 200)],
  ['xai/chat-stream-tool-call', () => fromChunks('xai/chat-stream-tool-call.vercel.chunks.txt')],
  ['lmstudio/chat-nonstream', () => fromCassette('lmstudio/chat-nonstream.ace.yml', 0)],
  ['lmstudio/models', () => fromCassette('lmstudio/chat-nonstream.ace.yml', 1)],
];

for (const [name, make] of JOBS) {
  const fixture = make();
  const file = resolve(OUT, `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`wrote ${name}.json`);
}
