import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwitchboard } from '../../composition/create-switchboard.js';
import { secretForms } from '../../errors/redact-records.js';
import { createMockProvider } from '../../protocols/mock/mock-provider.js';
import { registerProtocolAdapter } from '../../protocols/registry.js';
import { fakeAdapter } from '../../runtime/test-support/fake-adapter.js';
import { createFakeProvider } from '../../runtime/test-support/fake-provider.js';
import { type LocalServer, startServer } from '../../runtime/test-support/local-server.js';
import { createLogger, type LogFields, loggerEngine, memoryDestination, toSwitchboardLogger } from './logger.js';

const KEY = 'sk-test-UNITKEY-0123456789abcdef';
const ask = (content: string) => [{ role: 'user' as const, content }];

describe('createLogger', () => {
  it('writes pino-format JSON lines through pino when installed, and through the built-in writer otherwise', () => {
    for (const engine of ['pino', 'builtin'] as const) {
      const out = memoryDestination();
      const log = createLogger({ level: 'info', destination: out, engine, base: { app: 'x' } });
      expect(loggerEngine(log)).toBe(engine);
      log.debug('hidden');
      log.info('hello', { n: 1 });
      log.child({ component: 'cache' }).warn('careful');
      const [first, second] = out.records() as [LogFields, LogFields];
      expect(out.lines).toHaveLength(2);
      expect(first).toMatchObject({ level: 30, app: 'x', n: 1, msg: 'hello' });
      expect(typeof first.time).toBe('number');
      expect(second).toMatchObject({ level: 40, component: 'cache', msg: 'careful' });
    }
  });

  it('filters per component by a level map or a function', () => {
    const out = memoryDestination();
    const log = createLogger({ level: 'warn', components: { breaker: 'debug', cache: 'silent' }, destination: out });
    expect(log.child({ component: 'breaker' }).isLevelEnabled('debug')).toBe(true);
    expect(log.child({ component: 'breaker' }).level).toBe('debug');
    expect(log.child({ component: 'cache' }).isLevelEnabled('fatal')).toBe(false);
    expect(log.child({ component: 'retry' }).isLevelEnabled('info')).toBe(false);
    expect(log.child({ component: 'retry' }).isLevelEnabled('warn')).toBe(true);
    const byFn = createLogger({
      level: 'info',
      destination: out,
      components: (component, level) => (component === 'protocol' ? level !== 'trace' : undefined),
    });
    expect(byFn.child({ component: 'protocol' }).isLevelEnabled('debug')).toBe(true);
    expect(byFn.child({ component: 'protocol' }).isLevelEnabled('trace')).toBe(false);
    expect(byFn.child({ component: 'runtime' }).isLevelEnabled('debug')).toBe(false);
  });

  it('always redacts credentials by field name, URL parameter, auth scheme, key shape and known value', () => {
    const out = memoryDestination();
    const log = createLogger({ level: 'trace', destination: out, secrets: [KEY] });
    log.info(`calling with ${KEY}`, {
      headers: { Authorization: `Bearer ${KEY}`, 'x-api-key': 'abc123456789', 'X-Goog-Api-Key': 'AIza-whatever' },
      url: 'https://x.test/v1/models/m:generateContent?alt=sse&key=AIzaSyCANARY0123456789abcdefghijklmnop',
      apiKey: 'anything',
      nested: [{ secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' }],
      note: `encoded ${encodeURIComponent(`${KEY}/x`)} and ${Buffer.from(`user:${KEY}`).toString('base64')}`,
      error: new Error(`401 for key ${KEY}`, { cause: new Error(`sent Bearer ${KEY}`) }),
      other: 'sk-proj-someOtherKeyThatLooksReal0123456789',
    });
    const line = out.lines.join('');
    for (const form of secretForms(KEY)) expect(line).not.toContain(form);
    expect(line).not.toContain('abc123456789');
    expect(line).not.toContain('AIzaSyCANARY');
    expect(line).not.toContain('wJalrXUtnFEMI');
    expect(line).not.toContain('sk-proj-someOther');
    const [record] = out.records() as [LogFields];
    expect(record).toMatchObject({
      apiKey: '[redacted]',
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' },
      url: 'https://x.test/v1/models/m:generateContent?alt=sse&key=[redacted]',
      error: { type: 'Error', cause: { type: 'Error' } },
    });
  });

  it('redacts message content only when asked', () => {
    const out = memoryDestination();
    const fields = { messages: ask('my secret plan'), text: 'the answer', model: 'm' };
    createLogger({ destination: out }).info('a', fields);
    createLogger({ destination: out, redactContent: true }).info('b', fields);
    const [plain, redacted] = out.records() as [LogFields, LogFields];
    expect(plain).toMatchObject(fields);
    expect(redacted).toMatchObject({ messages: '[content redacted]', text: '[content redacted]', model: 'm' });
  });

  it('adapts a ready pino instance and a plain { warn, info } logger, with the same redaction', () => {
    const chunks: string[] = [];
    const instance = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          chunks.push(String(chunk));
          done();
        },
      }),
    );
    const wrapped = toSwitchboardLogger(instance);
    expect(wrapped?.isLevelEnabled('debug')).toBe(true);
    expect(wrapped?.isLevelEnabled('trace')).toBe(false);
    wrapped?.child({ component: 'redis' }).warn('x', { authorization: `Bearer ${KEY}` });
    expect(JSON.parse(chunks[0] as string)).toMatchObject({
      component: 'redis',
      authorization: '[redacted]',
      msg: 'x',
    });

    const seen: [string, LogFields | undefined][] = [];
    const plain = toSwitchboardLogger({ warn: (message: string, data?: LogFields) => seen.push([message, data]) });
    expect(plain?.isLevelEnabled('warn')).toBe(true);
    expect(plain?.isLevelEnabled('info')).toBe(false);
    plain?.child({ component: 'runtime' }).warn('w', { apiKey: KEY });
    expect(seen).toEqual([['w', { component: 'runtime', apiKey: '[redacted]' }]]);
    // console-like objects log from info up unless they say otherwise
    const consoleLike = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    expect(toSwitchboardLogger(consoleLike)?.isLevelEnabled('debug')).toBe(false);
    expect(toSwitchboardLogger({ ...consoleLike, level: 'debug' })?.isLevelEnabled('debug')).toBe(true);
  });
});

describe('switchboard logging', () => {
  let server: LocalServer;
  beforeAll(async () => {
    registerProtocolAdapter(fakeAdapter);
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } }));
    });
  });
  afterAll(() => server.close());

  it('binds one request id to every line of a call, a different one per call, and scrubs env keys', async () => {
    const out = memoryDestination();
    const sb = createSwitchboard({
      providers: [createFakeProvider()],
      env: { FAKE_API_KEY: KEY, FAKE_PORT: String(server.port) },
      logger: createLogger({ level: 'debug', destination: out }),
    });
    await Promise.all([
      sb.chat({ model: 'fake/big', messages: ask('a'), requestId: 'mine-1' }),
      sb.chat({ model: 'fake/big', messages: ask('b') }),
    ]);
    const records = out.records();
    const protocol = records.filter((record) => record.component === 'protocol');
    expect(protocol).toHaveLength(4);
    const ids = new Set(protocol.map((record) => record.requestId));
    expect(ids.size).toBe(2);
    expect(ids.has('mine-1')).toBe(true);
    expect(out.lines.join('')).not.toContain(KEY);
    await sb.close();
  });

  it('scopes streams (iterated later) and leaves a switchboard without a logger unscoped', async () => {
    const out = memoryDestination();
    const sb = createSwitchboard({
      providers: [createMockProvider({ mock: { chunks: ['a', 'b'] } })],
      logger: createLogger({ level: 'debug', destination: out }),
      on: {},
    });
    const stream = sb.stream({ model: 'mock/unknown-model', messages: ask('x'), requestId: 'stream-1' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    let text = '';
    for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    expect(text).toBe('ab');
    const warned = out.records().filter((record) => record.component === 'runtime');
    expect(warned.length).toBeGreaterThan(0);
    for (const record of warned) expect(record.requestId).toBe('stream-1');
    await sb.close();
  });
});
