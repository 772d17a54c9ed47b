/**
 * `resolveTarget` remembers the names it accepted (aliases, groups, installed `provider/model`), so
 * a hot model costs one map lookup per request; what it refuses is never remembered: an unknown
 * name is a 404 naming `model` every time it is asked.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/gateway-error.js';
import { resolveTarget } from '../src/routes/openai.js';
import { createGateway } from '../src/server.js';

describe('resolveTarget', () => {
  it('the same answer for an alias, a group and a model on every ask; a 404 for an unknown one every time', async () => {
    const gateway = await createGateway({
      config: {
        providers: { mock: {} },
        aliases: { fast: 'mock/mock-chat' },
        groups: { pool: { strategy: 'round-robin', deployments: [{ model: 'mock/mock-chat' }] } },
      } as never,
      env: {},
    });
    try {
      for (let round = 0; round < 2; round += 1) {
        expect(resolveTarget(gateway.context, 'fast')).toBe('mock/mock-chat');
        expect(resolveTarget(gateway.context, 'pool')).toBe('pool');
        expect(resolveTarget(gateway.context, 'group:pool')).toBe('group:pool');
        expect(resolveTarget(gateway.context, 'mock/mock-chat')).toBe('mock/mock-chat');
        for (const unknown of ['nope/model', 'no-slash']) {
          let caught: unknown;
          try {
            resolveTarget(gateway.context, unknown);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(GatewayError);
          expect(caught).toMatchObject({ status: 404, details: { param: 'model', code: 'model_not_found' } });
        }
      }
    } finally {
      await gateway.close(0);
    }
  });
});
