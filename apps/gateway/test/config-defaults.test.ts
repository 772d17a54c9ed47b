/**
 * Two defaults of the gateway's config: budget periods are exactly the ones core's `BudgetPeriod`
 * counts (anything else is refused at its line, not later inside the tracker), and telemetry is on
 * unless the config says `telemetry: false` (so /api/telemetry and /metrics answer without a config).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/server.js';

function budgetsWithPeriod(period: string): string {
  return ['budgets:', '  - key: team', '    maxCostUsd: 5', `    period: ${period}`].join('\n');
}

function configError(text: string): string {
  try {
    parseGatewayConfig(text, 'gw.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('budget periods in the gateway config', () => {
  it.each(['hour', 'day', 'month', 'total'])('accepts %s', (period) => {
    expect(parseGatewayConfig(budgetsWithPeriod(period)).budgets?.[0]?.period).toBe(period);
  });

  it('accepts a custom period in milliseconds, as core does', () => {
    expect(parseGatewayConfig(budgetsWithPeriod('{ ms: 60000 }')).budgets?.[0]?.period).toEqual({ ms: 60_000 });
  });

  it.each(['minute', 'week', 'year'])('refuses %s at its line, naming what core supports', (period) => {
    expect(configError(budgetsWithPeriod(period))).toMatch(
      /gw\.yaml:4:13: budgets\[0\]\.period: must be hour, day, month, total or \{ ms: <period length in milliseconds> \}/,
    );
  });

  it('refuses a custom period that is not a positive whole number of milliseconds', () => {
    expect(configError(budgetsWithPeriod('{ ms: -5 }'))).toMatch(/gw\.yaml:4:\d+: budgets\[0\]\.period/);
    expect(configError(budgetsWithPeriod('{ ms: 1.5 }'))).toMatch(/gw\.yaml:4:\d+: budgets\[0\]\.period/);
  });
});

describe('telemetry default', () => {
  let gateway: Gateway | undefined;
  afterEach(async () => {
    await gateway?.close(0);
    gateway = undefined;
  });

  async function status(path: string): Promise<number> {
    return (await (gateway as Gateway).app.inject({ method: 'GET', url: path })).statusCode;
  }

  it('is on without a config: /api/telemetry and /metrics answer 200', async () => {
    gateway = await createGateway({ port: 0, config: { providers: { mock: null } }, env: {} });
    expect(gateway.context.switchboard.telemetry).toBeDefined();
    expect(await status('/api/telemetry')).toBe(200);
    expect(await status('/metrics')).toBe(200);
  });

  it('is off with telemetry: false: both answer 503', async () => {
    gateway = await createGateway({ port: 0, config: { providers: { mock: null }, telemetry: false }, env: {} });
    expect(gateway.context.switchboard.telemetry).toBeUndefined();
    expect(await status('/api/telemetry')).toBe(503);
    expect(await status('/metrics')).toBe(503);
  });
});
