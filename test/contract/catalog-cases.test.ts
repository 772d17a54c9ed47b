/**
 * Runs every contract case in the `tests:` section of each catalog/providers/*.yaml on both
 * transports, as `<provider>/<caseId>:Request [undici]` and `:Response [fetch]` (DESIGN 7: the
 * YAML's cases generate the tests): a case that passes through one transport and fails through the
 * other fails.
 */

import type { ContractCaseSpec } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, checkResult } from './assertions.js';
import {
  type CaseOutcome,
  type CaseSettings,
  catalogProviderIds,
  type LoadedProvider,
  loadProvider,
  type MockServer,
  runCase,
  startMockServer,
  TRANSPORTS,
  type TransportName,
} from './harness.js';

interface Suite {
  provider: LoadedProvider;
  settings?: CaseSettings;
  tests: ContractCaseSpec[];
  origin: string;
}

const suites: Suite[] = [];
for (const id of catalogProviderIds()) {
  const provider = loadProvider(id);
  if (provider.tests.length > 0)
    suites.push({ provider, tests: provider.tests, origin: `catalog/providers/${id}.yaml` });
}

let mock: MockServer;
beforeAll(() => {
  mock = startMockServer();
});
afterAll(() => mock.close());

for (const suite of suites) {
  const id = suite.provider.descriptor.id;
  describe(`${id} (${suite.origin})`, () => {
    for (const spec of suite.tests) {
      const runs = new Map<TransportName, () => Promise<CaseOutcome>>();
      for (const transport of TRANSPORTS) {
        const apiKey = `test-key-${id}-${spec.id}-0123456789abcdef`;
        let outcome: Promise<CaseOutcome> | undefined;
        const run = () => {
          outcome ??= runCase(mock, suite.provider, spec, {
            apiKey,
            settings: spec.settings ?? suite.settings,
            transport,
          });
          return outcome;
        };
        runs.set(transport, run);
        // Refusals before any request are runtime behaviour: only meaningful through createSwitchboard.
        const runtimeOnly = (spec.expect as Record<string, unknown>).requestSent === false;
        const viaAdapter = process.env.CONTRACT_VIA === 'adapter';
        // The adapter path has no transport choice: it runs once.
        const skipped = (runtimeOnly || transport === 'undici') && viaAdapter;
        it.skipIf(skipped)(`${id}/${spec.id}:Request [${transport}]`, async () => {
          const outcome = await run();
          // Through createSwitchboard on this transport unless CONTRACT_VIA=adapter.
          expect(outcome.via).toBe(viaAdapter ? 'adapter' : 'switchboard');
          checkRequest(outcome, spec, suite.provider.descriptor, apiKey);
        });
        it.skipIf(skipped)(`${id}/${spec.id}:Response [${transport}]`, async () => {
          checkResult(await run(), spec, apiKey);
        });
      }
      // Both replay doors, both transports: the same request sent and the same normalized result or error.
      it.skipIf(process.env.CONTRACT_VIA === 'adapter')(`${id}/${spec.id}:same on undici and fetch`, async () => {
        // One after the other: both runs share the mock server.
        const undici = await runs.get('undici')?.();
        const fetch = await runs.get('fetch')?.();
        const comparable = (outcome: CaseOutcome | undefined) => ({
          request: outcome?.request && {
            method: outcome.request.method,
            path: outcome.request.path,
            body: outcome.request.body ?? outcome.request.bodyText,
          },
          result: outcome?.result,
          error: outcome?.error && {
            kind: outcome.error.kind,
            status: outcome.error.status,
            message: outcome.error.message,
          },
        });
        expect(comparable(undici)).toEqual(comparable(fetch));
      });
    }
  });
}

if (suites.length === 0) {
  it.skip('no contract cases found', () => {});
}
