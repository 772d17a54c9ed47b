/**
 * deriveStream, follow and followObserved keep the stream contract with their written-out iterators
 * (issue 11): events in order, `response` from the finish or the error, the source's `finally` run
 * when the consumer leaves, an early stop aborting the inner stream, failures as error events.
 */
import { describe, expect, it } from 'vitest';
import type { ChatResponse, ChatStream, StreamEvent } from '../../types/requests.js';
import { deriveStream, emptyResponse, follow, followObserved } from './derive-stream.js';

const identity = { provider: 'p', model: 'm' };
const response: ChatResponse = { ...emptyResponse('p', 'm'), text: 'ab', finishReason: 'stop' };
const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });
const finish: StreamEvent = { type: 'finish', finishReason: 'stop', usage: response.usage, response };

/** An inner stream over `events`; records whether its source's `finally` ran and the abort it saw. */
function innerStream(events: StreamEvent[], endless = false) {
  const seen = { closed: false, aborted: undefined as unknown };
  const stream = deriveStream(async function* (signal) {
    signal.addEventListener('abort', () => {
      seen.aborted = signal.reason;
    });
    try {
      yield* events;
      while (endless) yield text('.');
    } finally {
      seen.closed = true;
    }
  }, identity);
  return { stream, seen };
}

async function collect(stream: ChatStream, limit = Number.POSITIVE_INFINITY): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of stream) {
    out.push(event);
    if (out.length >= limit) break;
  }
  return out;
}

describe('deriveStream', () => {
  it('passes the events in order, settles response from the finish and closes the source', async () => {
    const inner = innerStream([text('a'), text('b'), finish, text('never')]);
    const outer = deriveStream((signal) => follow(inner.stream, signal), identity);
    expect(await collect(outer)).toEqual([text('a'), text('b'), finish]);
    await expect(outer.response).resolves.toBe(response);
    expect(inner.seen.closed).toBe(true);
  });

  it('an early stop aborts the inner stream and settles response with the abort', async () => {
    const inner = innerStream([], true);
    const outer = deriveStream((signal) => follow(inner.stream, signal), identity);
    expect(await collect(outer, 3)).toHaveLength(3);
    expect(inner.seen.closed).toBe(true);
    expect(inner.seen.aborted).toBeInstanceOf(DOMException);
    await expect(outer.response).rejects.toThrow('The stream was aborted');
  });

  it('turns a failing source into one error event with an empty partial, and an unfinished one too', async () => {
    const failing = deriveStream(async function* () {
      yield text('a');
      throw new Error('boom');
    }, identity);
    const events = await collect(failing);
    expect(events[0]).toEqual(text('a'));
    expect(events).toHaveLength(2);
    const last = events[1] as Extract<StreamEvent, { type: 'error' }>;
    expect(last.type).toBe('error');
    expect(last.error.message).toBe('boom');
    expect(last.partial.provider).toBe('p');
    await expect(failing.response).rejects.toThrow('boom');

    const unfinished = deriveStream(async function* () {
      yield text('a');
    }, identity);
    const tail = (await collect(unfinished))[1] as Extract<StreamEvent, { type: 'error' }>;
    expect(tail.error.message).toBe('The stream ended without a finish event');
  });
});

describe('followObserved', () => {
  it('opens the inner stream on the first event, shows every event and ends once', async () => {
    const seen: string[] = [];
    let opened = 0;
    const inner = innerStream([text('a'), text('b'), finish]);
    const outer = deriveStream(
      (signal) =>
        followObserved(
          () => {
            opened += 1;
            return inner.stream;
          },
          signal,
          {
            event: (event) => {
              seen.push(event.type);
            },
            end: () => {
              seen.push('end');
            },
          },
        ),
      identity,
    );
    expect(opened).toBe(0);
    expect(await collect(outer)).toEqual([text('a'), text('b'), finish]);
    expect(opened).toBe(1);
    expect(seen).toEqual(['text-delta', 'text-delta', 'finish', 'end']);
    await expect(outer.response).resolves.toBe(response);
  });

  it('ends once when the consumer stops early, after aborting the inner stream', async () => {
    const seen: string[] = [];
    const inner = innerStream([], true);
    const outer = deriveStream(
      (signal) =>
        followObserved(() => inner.stream, signal, {
          event: (event) => {
            seen.push(event.type);
          },
          end: () => {
            seen.push('end');
          },
        }),
      identity,
    );
    await collect(outer, 2);
    expect(seen).toEqual(['text-delta', 'text-delta', 'end']);
    expect(inner.seen.closed).toBe(true);
  });

  it('reports a stage that fails to open as the stream error', async () => {
    const outer = deriveStream(
      (signal) =>
        followObserved(
          () => {
            throw new Error('no target');
          },
          signal,
          { event: () => undefined, end: () => undefined },
        ),
      identity,
    );
    const events = await collect(outer);
    expect(events).toHaveLength(1);
    expect((events[0] as Extract<StreamEvent, { type: 'error' }>).error.message).toBe('no target');
  });
});
