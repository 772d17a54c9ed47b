/**
 * The catalog half of the operations API over real HTTP: model lists with filters (capability
 * aliases included), one model's every fact, recommendations with scores and reasons, the live
 * refresh merging the upstream's list with the catalog, and 400s that name the parameter.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, type OperationsApp, startOperationsApp, UPSTREAM_KEY } from './operations-app.js';

let app: OperationsApp;
beforeAll(async () => {
  vi.stubEnv('OPENAI_API_KEY', UPSTREAM_KEY);
  app = await startOperationsApp();
});
afterAll(async () => {
  await app.close();
  vi.unstubAllEnvs();
});

describe('GET /api/models', () => {
  it('lists every installed model, each with its provider, prices and capabilities', async () => {
    const { status, json } = await call(app, 'GET', '/api/models');
    expect(status).toBe(200);
    expect(json.object).toBe('list');
    expect(json.total).toBe(json.data.length);
    const refs = json.data.map((model: { ref: string }) => model.ref);
    expect(refs).toContain('mock/mock-chat');
    expect(refs).toContain('openai/gpt-4o-mini');
    const mini = json.data.find((model: { ref: string }) => model.ref === 'openai/gpt-4o-mini');
    const entry = app.switchboard.catalog.requireModel('openai/gpt-4o-mini');
    expect(mini).toMatchObject({
      provider: 'openai',
      id: 'gpt-4o-mini',
      contextWindow: entry.limits.context,
      inputPricePer1M: entry.pricing?.input,
      outputPricePer1M: entry.pricing?.output,
      configured: true,
      local: false,
      discovered: false,
    });
    expect(mini.capabilities).toContain('tools');
  });

  it('filters by capability aliases, provider, type, maxCost and minContext as core does', async () => {
    const { json } = await call(
      app,
      'GET',
      '/api/models?provider=openai&capability=tool_use,image_input&type=chat&maxCost=5&minContext=100000',
    );
    const expected = app.switchboard.catalog
      .findModels({
        provider: ['openai'],
        capabilities: ['tools', 'vision'],
        type: 'chat',
        maxCostPer1M: 5,
        minContext: 100_000,
      })
      .map((model) => model.ref);
    expect(expected.length).toBeGreaterThan(0);
    expect(json.data.map((model: { ref: string }) => model.ref)).toEqual(expected);
    for (const model of json.data) {
      expect(model.provider).toBe('openai');
      expect(model.capabilities).toEqual(expect.arrayContaining(['tools', 'vision']));
      expect(model.blendedPricePer1M).toBeLessThanOrEqual(5);
      expect(model.contextWindow).toBeGreaterThanOrEqual(100_000);
    }
    // The alias and the canonical name select the same models; a stricter filter selects fewer.
    const canonical = await call(
      app,
      'GET',
      '/api/models?provider=openai&capability=tools&capability=vision&type=chat&maxCost=5&minContext=100000',
    );
    expect(canonical.json.data).toEqual(json.data);
    const all = await call(app, 'GET', '/api/models?provider=openai');
    expect(all.json.total).toBeGreaterThan(json.total);
  });

  it.each([
    ['capability=tool_usee', 'capability', /tool/],
    ['maxCost=cheap', 'maxCost', /non-negative number/],
    ['minContext=-1', 'minContext', /non-negative integer/],
    ['minContext=1.5', 'minContext', /integer/],
    ['type=chatbot', 'type', /one of chat/],
    ['provider=openia', 'provider', /openia/],
    ['maxcost=3', 'maxcost', /Unknown query parameter/],
    ['type=chat&type=embedding', 'type', /once/],
  ])('answers 400 naming the parameter for %s', async (query, param, message) => {
    const { status, json } = await call(app, 'GET', `/api/models?${query}`);
    expect(status).toBe(400);
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.param).toBe(param);
    expect(json.error.message).toMatch(message);
  });
});

describe('GET /api/models/{provider}/{model}', () => {
  it('gives every fact: limits, prices with cache and batch, capabilities, modalities, dates, status, sources', async () => {
    const { status, json } = await call(app, 'GET', '/api/models/openai/gpt-4o-mini');
    expect(status).toBe(200);
    const entry = app.switchboard.catalog.requireModel('openai/gpt-4o-mini');
    expect(json.ref).toBe('openai/gpt-4o-mini');
    expect(json.limits).toEqual(entry.limits);
    expect(json.pricing).toEqual(entry.pricing);
    expect(json.modalities).toEqual(entry.modalities);
    expect(json.status).toBe(entry.status);
    expect(json.dates.released).toBe(entry.released ?? null);
    expect(json.capabilities).toEqual(app.switchboard.catalog.modelCapabilities('openai/gpt-4o-mini'));
    expect(json.sources.catalog).toEqual(entry.source ?? null);
    expect(json.quality.score).toEqual(expect.any(Number));
    expect(['fast', 'medium', 'slow']).toContain(json.speed.tier);
  });

  it('resolves an alias (a dated snapshot) to its catalog model', async () => {
    const { status, json } = await call(app, 'GET', '/api/models/openai/gpt-4o-mini-2024-07-18');
    expect(status).toBe(200);
    expect(json.ref).toBe('openai/gpt-4o-mini');
  });

  it('answers 404 naming the model (with the closest one) or the provider', async () => {
    const model = await call(app, 'GET', '/api/models/openai/gpt-4o-mimi');
    expect(model.status).toBe(404);
    expect(model.json.error).toMatchObject({ type: 'not_found_error', param: 'model' });
    expect(model.json.error.message).toContain('gpt-4o-mini');
    const provider = await call(app, 'GET', '/api/models/nobody/gpt-4o-mini');
    expect(provider.status).toBe(404);
    expect(provider.json.error.param).toBe('provider');
  });
});

describe('POST /api/models/recommend', () => {
  it('answers core recommendModels with scores and reasons', async () => {
    const options = { capabilities: ['function_calling'], provider: 'openai', maxCostPer1M: 2, limit: 3 };
    const { status, json } = await call(app, 'POST', '/api/models/recommend', { body: options });
    expect(status).toBe(200);
    const expected = app.switchboard.catalog.recommendModels(options);
    expect(json.data.map((entry: { ref: string }) => entry.ref)).toEqual(expected.map((entry) => entry.model.ref));
    expect(json.data.length).toBeGreaterThan(0);
    for (const [index, entry] of json.data.entries()) {
      expect(entry.score).toBe(expected[index]?.score);
      expect(entry.reasons.length).toBeGreaterThan(0);
      expect(entry.reasons.join(' ')).toMatch(/tools|\$/);
    }
    const scores = json.data.map((entry: { score: number }) => entry.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ minQuality: 'superb' }, 'minQuality'],
    [{ speed: 'ludicrous' }, 'speed'],
    [{ maxCost: 3 }, 'maxCost'],
    [{ capabilities: ['tool_usee'] }, 'capabilities'],
    [{ features: ['teleport'] }, 'features'],
    [{ provider: 'openia' }, 'provider'],
    [['tools'], 'body'],
  ])('answers 400 naming the field for %j', async (body, param) => {
    const { status, json } = await call(app, 'POST', '/api/models/recommend', { body });
    expect(status).toBe(400);
    expect(json.error.param).toBe(param);
  });
});

describe('POST /api/models/refresh', () => {
  it('merges the live list with the catalog: available, unavailable, discovered (which then join /api/models)', async () => {
    app.upstream.models = ['gpt-4o-mini', 'gpt-4o-2024-08-06', 'gpt-9-experimental'];
    const { status, json } = await call(app, 'POST', '/api/models/refresh');
    expect(status).toBe(200);
    const openai = json.providers.find((entry: { provider: string }) => entry.provider === 'openai');
    expect(openai.outcome).toBe('listed');
    expect(openai.available).toEqual(expect.arrayContaining(['openai/gpt-4o-mini', 'openai/gpt-4o']));
    expect(openai.available).toHaveLength(2);
    expect(openai.discovered).toEqual(['openai/gpt-9-experimental']);
    const catalogSize = app.switchboard.catalog.models.filter(
      (model) => model.provider === 'openai' && model.discovered !== true,
    ).length;
    expect(openai.unavailable).toHaveLength(catalogSize - 2);
    expect(openai.unavailable).toContain('openai/gpt-4.1');
    expect(app.upstream.paths).toContain('/v1/models');

    const listed = await call(app, 'GET', '/api/models?provider=openai');
    const found = listed.json.data.find((model: { ref: string }) => model.ref === 'openai/gpt-9-experimental');
    expect(found).toMatchObject({ discovered: true, inputPricePer1M: null });
    const details = await call(app, 'GET', '/api/models/openai/gpt-9-experimental');
    expect(details.status).toBe(200);
    expect(details.json.discovered).toBe(true);
  });
});
