/**
 * ajv is an optional peer of core (it would double the installed size of core plus one provider).
 * Installed without it, a request's JSON Schema still gets a structural check (circular schemas,
 * unknown `type` names, malformed `properties` / `required` / `items` are refused naming the field,
 * nothing sent), valid JSON Schema tools still work, and one warning says to install ajv. Runs the
 * built dist in a fresh process with a module hook that makes `ajv` absent exactly as Node reports a
 * missing package. `./run test` builds before testing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.ts';

const execFileAsync = promisify(execFile);
const coreEntry = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));
const openaiEntry = fileURLToPath(new URL('../../packages/provider-openai/dist/index.js', import.meta.url));

/** Makes every `ajv` specifier fail to resolve, for require() and import alike. */
const HIDE_AJV = `
  import { registerHooks } from 'node:module';
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (/^ajv(\\/|$)/.test(specifier)) {
        const error = new Error("Cannot find module '" + specifier + "'");
        error.code = 'MODULE_NOT_FOUND';
        throw error;
      }
      return nextResolve(specifier, context);
    },
  });
`;

function childScript(baseURL: string): string {
  return `
    const warnings = [];
    process.on('warning', (warning) => warnings.push(warning.code));
    const { createSwitchboard } = await import(${JSON.stringify(coreEntry)});
    const { createOpenAI } = await import(${JSON.stringify(openaiEntry)});
    const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'sk-test', baseURL: ${JSON.stringify(baseURL)} })], retry: false });
    const messages = [{ role: 'user', content: 'Hi' }];
    const refused = async (parameters) => {
      try {
        await sb.chat({ model: 'openai/gpt-4o-mini', messages, tools: [{ name: 'weather', parameters }] });
        return null;
      } catch (error) {
        return { kind: error.kind, field: error.field, message: error.message };
      }
    };
    const circular = { type: 'object', properties: {} };
    circular.properties.self = circular;
    const result = {
      badType: await refused({ type: 'objekt' }),
      badProperty: await refused({ type: 'object', properties: { city: { type: 'strin' } } }),
      badRequired: await refused({ type: 'object', required: 'city' }),
      circular: await refused(circular),
      valid: await refused({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    };
    await new Promise((resolve) => setImmediate(resolve));
    process.stdout.write(JSON.stringify({ ...result, warnings }));
  `;
}

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer([{ type: 'ok', text: 'fine' }]);
});
afterAll(async () => {
  await server.close();
});

describe('core installed without ajv', () => {
  it('checks JSON Schemas structurally, refuses bad ones naming the field, sends only the valid call, warns once', async () => {
    for (const entry of [coreEntry, openaiEntry])
      if (!existsSync(entry)) throw new Error(`build first (${entry} is missing): ./run pnpm -s turbo run build`);
    const hook = `data:text/javascript,${encodeURIComponent(HIDE_AJV)}`;
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', hook, '--input-type=module', '-e', childScript(server.baseURL)],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(stdout) as Record<string, { kind: string; field: string } | null> & {
      warnings: string[];
    };
    expect(result.badType).toMatchObject({ kind: 'invalid-request', field: 'tools[0].parameters.type' });
    expect(result.badProperty).toMatchObject({
      kind: 'invalid-request',
      field: 'tools[0].parameters.properties.city.type',
    });
    expect(result.badRequired).toMatchObject({ kind: 'invalid-request', field: 'tools[0].parameters.required' });
    expect(result.circular).toMatchObject({ kind: 'invalid-request' });
    expect(result.circular?.field).toMatch(/^tools\[0\]\.parameters/);
    expect(result.valid).toBeNull();
    expect(result.warnings.filter((code) => code === 'SWITCHBOARD_NO_AJV')).toHaveLength(1);
    // Only the valid call reached the provider.
    expect(server.requests).toHaveLength(1);
  });
});
