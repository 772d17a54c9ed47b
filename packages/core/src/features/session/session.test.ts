import { describe, expect, it } from 'vitest';
import { createSwitchboard } from '../../composition/create-switchboard.js';
import { createMockProvider } from '../../protocols/mock/mock-provider.js';
import { getMockRequests } from '../../protocols/mock/mock-requests.js';
import { MemoryStore } from '../../resilience/state/memory-store.js';
import { createSession, loadSession, Session, SessionConflictError } from './session.js';
import { SessionFormatError } from './session-format.js';

const mockSb = (mock = {}) => {
  const provider = createMockProvider({ mock });
  return { sb: createSwitchboard({ providers: [provider] }), provider };
};

describe('sessions', () => {
  it('keeps history, sends it, and totals usage and cost', async () => {
    const { sb, provider } = mockSb();
    const session = sb.session({
      model: 'mock/mock-chat',
      name: 'demo',
      system: 'Be brief.',
      defaults: { temperature: 0.2 },
    });
    const first = await session.chat('hello');
    expect(first.text).toBe('Mock reply to: hello');
    await session.chat('again');
    const sent = getMockRequests(provider).at(-1);
    expect(sent?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent?.temperature).toBe(0.2);
    expect(session.messages()).toHaveLength(5);
    expect(session.lastMessages(2).map((m) => m.content)).toEqual(['again', 'Mock reply to: again']);
    expect(session.turns).toBe(2);
    expect(session.usage.totalTokens).toBeGreaterThan(0);
    expect(session.cost.total).toBeGreaterThan(0);
    session.clear();
    expect(session.messages()).toEqual([{ role: 'system', content: 'Be brief.' }]);
  });

  it('runs the tool loop itself so calls and results are in the history', async () => {
    let step = 0;
    const { sb } = mockSb({
      response: () =>
        ++step === 1
          ? { text: '', toolCalls: [{ id: 't1', name: 'weather', arguments: { city: 'Oslo' } }] }
          : 'It is 3 degrees.',
    });
    const session = createSession(sb, { model: 'mock/mock-chat' });
    const res = await session.chat('Weather in Oslo?', {
      maxSteps: 3,
      tools: [{ name: 'weather', parameters: { type: 'object' }, execute: async () => ({ temp: 3 }) }],
    });
    expect(res.text).toBe('It is 3 degrees.');
    expect(session.messages().map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(session.messages()[2]).toMatchObject({ toolCallId: 't1', content: '{"temp":3}' });
  });

  it('records streams, and rolls back or keeps a failed stream as asked', async () => {
    const { sb } = mockSb();
    const session = sb.session({ model: 'mock/mock-chat' });
    let text = '';
    for await (const event of session.stream('hi')) if (event.type === 'text-delta') text += event.text;
    expect(text).toBe('Mock reply to: hi');
    expect(session.lastMessages(1)[0]).toEqual({ role: 'assistant', content: 'Mock reply to: hi' });

    const failing = mockSb({
      chunks: ['one ', 'two'],
      error: { kind: 'network', message: 'cut' },
      errorAfterChunks: 1,
    }).sb;
    const rolled = failing.session({ model: 'mock/mock-chat' });
    await expect(rolled.stream('x', { retry: false }).response).rejects.toThrow();
    expect(rolled.messages()).toEqual([]);
    const kept = failing.session({ model: 'mock/mock-chat', keepPartial: true });
    await expect(kept.stream('x', { retry: false }).response).rejects.toThrow();
    expect(kept.messages()).toEqual([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'one ' },
    ]);
  });

  it('rolls back a failed chat turn', async () => {
    const { sb } = mockSb({ error: { kind: 'invalid-request', message: 'bad' } });
    const session = sb.session({ model: 'mock/mock-chat', system: 's' });
    await expect(session.chat('x')).rejects.toThrow('bad');
    expect(session.messages()).toEqual([{ role: 'system', content: 's' }]);
  });

  it('round-trips through JSON with bytes turned into data URLs', async () => {
    const { sb } = mockSb();
    const session = sb.session({
      model: 'mock/mock-chat',
      name: 'n',
      system: 'sys',
      defaults: { maxTokens: 50, headers: { secret: 'x' } },
    });
    session.addMessage({
      role: 'user',
      content: [{ type: 'image', image: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) }],
    });
    await session.chat('describe');
    const json = JSON.stringify(session);
    expect(json).not.toContain('secret');
    const copy = Session.fromJSON(json, sb);
    expect(copy.id).toBe(session.id);
    expect(copy.name).toBe('n');
    expect(copy.messages()).toEqual(JSON.parse(json).messages);
    expect(copy.usage).toEqual(session.usage);
    expect(copy.toJSON().defaults).toEqual({ maxTokens: 50 });
    expect(JSON.parse(json).messages[1].content[0].image).toMatch(/^data:image\/png;base64,/);
  });

  it('round-trips image and file parts given by path (the explicit file API) and refuses a part with neither', () => {
    const { sb } = mockSb();
    const good = sb.session({ model: 'mock/mock-chat' }).toJSON();
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image', path: './photo.png' },
          { type: 'file', path: './report.pdf' },
        ],
      },
    ];
    const loaded = Session.fromJSON(JSON.parse(JSON.stringify({ ...good, messages })), sb);
    expect(loaded.toJSON().messages).toEqual(messages);
    expect(() => Session.fromJSON({ ...good, messages: [{ role: 'user', content: [{ type: 'image' }] }] }, sb)).toThrow(
      'messages[0].content[0].image must be a string',
    );
  });

  it('rejects foreign, newer and corrupt documents with a clear error', () => {
    const { sb } = mockSb();
    const good = sb.session({ model: 'mock/mock-chat' }).toJSON();
    expect(() => Session.fromJSON('{"hello": 1}', sb)).toThrow(/Not a Switchboard session/);
    expect(() => Session.fromJSON('nope', sb)).toThrow(/not valid JSON/);
    expect(() => Session.fromJSON({ ...good, version: 9 }, sb)).toThrow(/newer Switchboard \(version 9\)/);
    try {
      Session.fromJSON(
        { ...good, messages: [{ role: 'assistant', content: 'x', toolCalls: [{ id: 1, name: 'f', arguments: {} }] }] },
        sb,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SessionFormatError);
      expect((error as SessionFormatError).path).toBe('messages[0].toolCalls[0].id');
      expect((error as Error).message).toBe('Invalid session data: messages[0].toolCalls[0].id must be a string');
    }
    expect(() => Session.fromJSON({ ...good, messages: [{ role: 'robot', content: 'x' }] }, sb)).toThrow(
      'messages[0].role must be one of system, user, assistant, tool',
    );
  });

  it('persists through a shared Store and continues in another "process"', async () => {
    const store = new MemoryStore();
    const processA = mockSb().sb;
    const processB = mockSb().sb;
    const a = processA.session({ model: 'mock/mock-chat', system: 'sys', persist: { store } });
    await a.chat('first');
    const b = await loadSession(processB, store, a.id);
    expect(b?.messages()).toEqual(a.messages());
    await b?.chat('second');
    expect((await loadSession(processA, store, a.id))?.messages()).toHaveLength(5);
    // The stale copy cannot overwrite what B saved.
    await expect(a.chat('stale')).rejects.toBeInstanceOf(SessionConflictError);
    await a.reload();
    await a.chat('third');
    expect(a.messages().map((m) => m.content)).toContain('second');
    expect(await loadSession(processA, store, 'missing')).toBeUndefined();
    await store.close();
  });
});
