/**
 * The recording queue: entries wait for one `setImmediate` per batch (or a `drain()`), are recorded
 * once each in the order pushed, a record that throws neither loses the rest nor escapes (a process
 * warning instead), and a starved queue drains itself at its bound.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_QUEUED, RecordingQueue } from './recording-queue.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('RecordingQueue', () => {
  it('records a batch in the next turn, once each and in order, with one afterBatch', async () => {
    const recorded: number[] = [];
    const afterBatch = vi.fn();
    const queue = new RecordingQueue<number>((entry) => recorded.push(entry), afterBatch);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(recorded).toEqual([]);
    expect(queue.size).toBe(3);
    await nextTurn();
    expect(recorded).toEqual([1, 2, 3]);
    expect(afterBatch).toHaveBeenCalledTimes(1);
    await nextTurn();
    expect(recorded).toEqual([1, 2, 3]);
    expect(afterBatch).toHaveBeenCalledTimes(1);
  });

  it('drain() records now; the turn scheduled before it then finds nothing to record twice', async () => {
    const recorded: number[] = [];
    const queue = new RecordingQueue<number>((entry) => recorded.push(entry));
    queue.push(1);
    queue.drain();
    expect(recorded).toEqual([1]);
    queue.push(2);
    await nextTurn();
    expect(recorded).toEqual([1, 2]);
  });

  it('a record pushed while draining waits for the next drain, not lost and not recorded twice', async () => {
    const recorded: number[] = [];
    const queue: RecordingQueue<number> = new RecordingQueue<number>((entry) => {
      recorded.push(entry);
      if (entry === 1) queue.push(10);
    });
    queue.push(1);
    queue.drain();
    expect(recorded).toEqual([1]);
    await nextTurn();
    expect(recorded).toEqual([1, 10]);
  });

  it('a record that throws is a process warning; the rest of the batch is still recorded', async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const recorded: number[] = [];
    const queue = new RecordingQueue<number>((entry) => {
      if (entry === 2) throw new Error('broken recorder');
      recorded.push(entry);
    });
    for (const entry of [1, 2, 3]) queue.push(entry);
    await nextTurn();
    expect(recorded).toEqual([1, 3]);
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(String(warnings.mock.calls[0]?.[0])).toContain('broken recorder');
  });

  it('drains on the spot at its bound, so a starved event loop does not grow it without limit', () => {
    let recorded = 0;
    const queue = new RecordingQueue<number>(() => {
      recorded += 1;
    });
    for (let entry = 0; entry < MAX_QUEUED - 1; entry += 1) queue.push(entry);
    expect(recorded).toBe(0);
    queue.push(MAX_QUEUED);
    expect(recorded).toBe(MAX_QUEUED);
    expect(queue.size).toBe(0);
  });
});
