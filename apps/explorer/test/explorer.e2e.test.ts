/**
 * The explorer in a real browser (Debian's Chromium through playwright-core) against a real gateway:
 * find a model with the filters, open it, compare two, compute a cost, run a recommendation, make
 * calls through the gateway and watch the Live view count them, and see a failing call's error
 * appear with its kind. Every view is checked with axe-core in the light and the dark theme, and
 * screenshotted into .test-results/explorer/. Skips (saying why) only when Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import type { Gateway } from '@switchboard/gateway';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './accessibility.js';
import {
  CHROMIUM_PATH,
  ensureExplorerBuilt,
  launchChromium,
  SCREENSHOT_DIRECTORY,
  startFailingUpstream,
  startGateway,
  startStaticServer,
} from './explorer-harness.js';

const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(
    `explorer browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium; CI installs it)`,
  );

describe.skipIf(!hasChromium)('the explorer page in Chromium against a real gateway', () => {
  let upstream: Awaited<ReturnType<typeof startFailingUpstream>>;
  let gateway: Gateway;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureExplorerBuilt();
    upstream = await startFailingUpstream();
    ({ gateway, url } = await startGateway(upstream.baseURL));
    browser = await launchChromium();
    // bypassCSP: axe-core is injected as an inline script, which the page's own CSP rightly refuses.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.close(500);
    await upstream?.close();
  });

  const shoot = (name: string) => page.screenshot({ path: `${SCREENSHOT_DIRECTORY}/${name}.png`, fullPage: true });
  const expectAccessible = async () => expect(await seriousViolations(page)).toEqual([]);

  it('serves the page at / with its assets from the gateway, loading nothing from elsewhere', async () => {
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(url) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    const response = await page.goto(`${url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.getByRole('heading', { name: 'Models' }).waitFor();
    expect(foreign).toEqual([]);
  });

  it('keyboard: Tab reaches the skip link first, which moves focus to the content; tabs are links in order', async () => {
    await page.goto(`${url}/#/models`);
    await page.getByRole('heading', { name: 'Models' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content');
    await page.reload();
    await page.getByRole('heading', { name: 'Models' }).waitFor();
    const labels: string[] = [];
    for (let index = 0; index < 5; index++) {
      await page.keyboard.press('Tab');
      labels.push(await page.evaluate(() => document.activeElement?.textContent ?? ''));
    }
    expect(labels).toEqual(['Skip to content', 'Models', 'Compare', 'Recommend', 'Live']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    expect(page.url()).toContain('#/live');
  });

  it('Models: filters by provider and search text, sorts, and finds the model', async () => {
    await page.goto(`${url}/#/models`);
    await page
      .locator('#model-count')
      .filter({ hasText: /of \d+ models/ })
      .waitFor();
    await page.getByLabel('Provider', { exact: true }).selectOption('mock');
    // The keyboard shortcut: "/" focuses the search box.
    await page.locator('main h1').click();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('model-search');
    await page.keyboard.type('chat');
    const rows = page.locator('table.data tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().locator('th').innerText()).toContain('mock/mock-chat');
    // The filters are in the URL: a deep link reproduces the view.
    expect(page.url()).toContain('provider=mock');
    expect(page.url()).toContain('q=chat');
    await page.goto(`${url}/#/models?provider=openai&sort=-context`);
    await expect.poll(() => page.getByLabel('Provider', { exact: true }).inputValue()).toBe('openai');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const contexts = await page.locator('table.data tbody tr td:nth-child(4)').allInnerTexts();
    expect(contexts.length).toBeGreaterThan(3);
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('Context');
    // A capability by one of its aliases: the same models as by its canonical name.
    const byCanonical = (await (await fetch(`${url}/api/models?capability=tools&type=any`)).json()).total;
    await page.goto(`${url}/#/models?capability=tool_use`);
    await expect.poll(() => rows.count()).toBe(byCanonical);
    await page.goto(`${url}/#/models?q=mock`);
    await expect.poll(() => rows.count()).toBe(3);
    await shoot('models');
    await expectAccessible();
  });

  it('Model page: shows limits, prices, capabilities, dates and the source of each fact', async () => {
    await page.goto(`${url}/#/models?provider=openai&q=gpt-4o-mini`);
    await page
      .getByRole('link', { name: /GPT-4o mini/i })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Limits' }).waitFor();
    expect(page.url()).toContain('#/model/openai/gpt-4o-mini');
    const text = await page.locator('main').innerText();
    for (const fact of [
      'Context window',
      'Input $/1M tokens',
      'Output $/1M tokens',
      'Capabilities',
      'Released',
      'Quality score',
    ])
      expect(text).toContain(fact);
    expect(await page.locator('.source').count()).toBeGreaterThan(5);
    await shoot('model');
    await expectAccessible();
  });

  it('Compare: two models side by side with differences marked, and a monthly cost computed', async () => {
    await page.goto(`${url}/#/models?provider=openai&q=gpt-4o`);
    await page.getByRole('checkbox', { name: 'Compare GPT-4o mini' }).first().check();
    await page
      .getByRole('checkbox', { name: /^Compare GPT-4o$/ })
      .first()
      .check();
    await page.getByRole('link', { name: /Compare 2 \/ 4/ }).click();
    await page.locator('table.compare').waitFor();
    expect(await page.locator('table.compare thead th').count()).toBe(3);
    expect(await page.locator('tr.differs').count()).toBeGreaterThan(0);
    // 1 000 input + 500 output tokens per request, 200 requests a day, priced from the catalog's rates.
    await page.locator('#cost-input').fill('1000');
    await page.locator('#cost-cached').fill('0');
    await page.locator('#cost-output').fill('500');
    await page.locator('#cost-requests').fill('200');
    const mini = await (await fetch(`${url}/api/models/openai/gpt-4o-mini`)).json();
    const expected = ((1000 * mini.pricing.input + 500 * mini.pricing.output) / 1_000_000) * 200 * 30;
    const cell = page.locator('#monthly-costs td[data-ref="openai/gpt-4o-mini"]');
    await expect.poll(() => cell.innerText()).toContain(`$${expected.toFixed(2)}`);
    expect(page.url()).toContain('requests=200');
    expect(await page.locator('figure.chart canvas').count()).toBeGreaterThan(0);
    await shoot('compare');
    await expectAccessible();
  });

  it('Recommend: ranks models for the features asked, with scores and reasons', async () => {
    await page.goto(`${url}/#/recommend`);
    await page.getByLabel(/Features/).fill('tools, vision');
    await page.getByLabel('Min context').fill('100000');
    await page.getByRole('button', { name: 'Recommend' }).click();
    const entries = page.locator('#recommendations > li');
    await expect.poll(() => entries.count()).toBeGreaterThan(0);
    expect(await entries.first().locator('.reasons li').count()).toBeGreaterThan(0);
    expect(await entries.first().locator('.score').innerText()).toMatch(/score \d/);
    expect(page.url()).toContain('features=tools');
    // A name the gateway does not know: its 400 names the field and shows on the page.
    await page.getByLabel(/Features/).fill('teleportation');
    await page.getByRole('button', { name: 'Recommend' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('teleportation');
    await page.getByLabel(/Features/).fill('tools, vision');
    await page.getByRole('button', { name: 'Recommend' }).click();
    await expect.poll(() => entries.count()).toBeGreaterThan(0);
    await shoot('recommend');
    await expectAccessible();
  });

  it('Live: calls through the gateway show up, and a failing call shows its error and kind', async () => {
    await page.goto(`${url}/#/live`);
    const total = page.locator('#total-requests');
    await total.waitFor();
    const before = Number((await total.innerText()).replace(/,/g, ''));
    for (let index = 0; index < 3; index++) {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock/mock-chat', messages: [{ role: 'user', content: `hello ${index}` }] }),
      });
      expect(response.status).toBe(200);
    }
    await expect.poll(() => total.innerText(), { timeout: 15_000 }).toBe(String(before + 3));
    await page.locator('#live-models').filter({ hasText: 'mock/mock-chat' }).waitFor();

    const failing = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'fail please' }] }),
    });
    expect(failing.status).toBeGreaterThanOrEqual(500);
    const errors = page.locator('#live-errors tbody tr');
    await expect.poll(() => errors.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const row = await errors.first().innerText();
    expect(row).toContain('openai/gpt-4o-mini');
    expect(row).toMatch(/server|upstream|provider/i);
    await expect.poll(() => page.locator('#total-error-rate').innerText()).not.toBe('0%');
    // Providers with breaker and health, and a budget with its use.
    expect(await page.locator('#live-providers').innerText()).toMatch(/closed|open/);
    expect(await page.locator('.budgets').innerText()).toContain('global');
    expect(await page.locator('.charts canvas').count()).toBe(3);
    await shoot('live');
    await expectAccessible();
  });

  it('dark theme: the toggle switches every view, which stay free of serious accessibility violations', async () => {
    await page.goto(`${url}/#/models`);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const views: [string, string][] = [
      ['models', '#/models?q=gpt-4o'],
      ['model', '#/model/openai/gpt-4o-mini'],
      ['compare', '#/compare?models=openai/gpt-4o-mini,openai/gpt-4o,mock/mock-chat'],
      ['recommend', '#/recommend?features=tools&run=1'],
      ['live', '#/live'],
    ];
    for (const [name, hash] of views) {
      await page.goto(`${url}/${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main table, main ol, main dl').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await shoot(`${name}-dark`);
      expect(await seriousViolations(page), name).toEqual([]);
    }
    await page.getByRole('button', { name: 'Light theme' }).click();
  });

  it('works under its own Content-Security-Policy: charts draw and nothing is refused', async () => {
    const strict = await context.browser()?.newContext({ viewport: { width: 1280, height: 900 } });
    if (strict === undefined) throw new Error('no browser');
    const refused: string[] = [];
    const strictPage = await strict.newPage();
    strictPage.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    try {
      await strictPage.goto(`${url}/#/compare?models=openai/gpt-4o-mini,openai/gpt-4o`);
      await strictPage.locator('figure.chart canvas').first().waitFor();
      await strictPage.goto(`${url}/#/live`);
      await expect.poll(() => strictPage.locator('.charts canvas').count()).toBe(3);
      await strictPage.locator('#total-requests').waitFor();
      expect(refused).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('phone width: no view overflows the screen sideways (wide tables scroll inside their box)', async () => {
    const phone = await context.browser()?.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    if (phone === undefined) throw new Error('no browser');
    const small = await phone.newPage();
    try {
      for (const hash of ['#/models', '#/compare?models=openai/gpt-4o-mini,openai/gpt-4o', '#/live']) {
        await small.goto(`${url}/${hash}`);
        await small.locator('main h1').waitFor();
        await small.locator('main table').first().waitFor();
        const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, hash).toBeLessThanOrEqual(0);
      }
      await small.goto(`${url}/#/models`);
      await small.locator('main table').first().waitFor();
      await small.screenshot({ path: `${SCREENSHOT_DIRECTORY}/models-phone.png` });
    } finally {
      await phone.close();
    }
  });
});

describe.skipIf(!hasChromium)('the explorer as static files on another origin, with ?gateway=', () => {
  it('lists the models and follows the live view of the gateway it names', async () => {
    const files = await startStaticServer();
    const upstream = await startFailingUpstream();
    const { gateway, url } = await startGateway(upstream.baseURL, { cors: { origins: [files.url] } });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${files.url}/?gateway=${encodeURIComponent(url)}#/models?provider=mock`);
      await expect.poll(() => page.locator('table.data tbody tr').count()).toBe(3);
      await page.getByRole('link', { name: 'Live' }).click();
      const total = page.locator('#total-requests');
      await total.waitFor();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'from afar' }] }),
      });
      expect(response.status).toBe(200);
      await expect.poll(() => total.innerText(), { timeout: 15_000 }).toBe('1');
      expect(await page.locator('main').innerText()).toContain('Streaming from the gateway');
    } finally {
      await browser.close();
      await gateway.close(500);
      await upstream.close();
      await files.close();
    }
  });
});
