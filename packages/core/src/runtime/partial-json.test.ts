/** The lenient prefix parser behind streamed `object-delta` events. */
import { describe, expect, it } from 'vitest';
import { PartialJsonScanner, parsePartialJson } from './partial-json.js';

/** Whether `next` says everything `previous` says (strings may grow, arrays and objects gain entries). */
function extendsValue(previous: unknown, next: unknown): boolean {
  if (typeof previous === 'string') return typeof next === 'string' && next.startsWith(previous);
  if (Array.isArray(previous)) {
    if (!Array.isArray(next) || next.length < previous.length) return false;
    return previous.every((item, index) => extendsValue(item, next[index]));
  }
  if (typeof previous === 'object' && previous !== null) {
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return false;
    const target = next as Record<string, unknown>;
    return Object.entries(previous).every(([key, value]) => key in target && extendsValue(value, target[key]));
  }
  return Object.is(previous, next);
}

const DOCUMENTS = [
  '{"name": "Ada Lovelace", "age": 36, "languages": ["en", "fr"], "alive": false, "spouse": null}',
  '{"a": {"b": [1, 2.5, -3e2, {"c": "x\\"y\\\\z\\n\\u00e9\\ud83d\\ude00"}]}, "t": true}',
  '[{"id": 10, "tags": []}, {"id": 20, "tags": ["p", "q"]}]',
  ' {\n  "spaced" : [ 1 , 2 ] ,\n  "empty": {}\n}\n',
];

describe('parsePartialJson', () => {
  it.each(DOCUMENTS)('every prefix of %j extends the one before and the whole equals JSON.parse', (document) => {
    let previous: unknown;
    for (let length = 1; length <= document.length; length += 1) {
      const parsed = parsePartialJson(document.slice(0, length));
      if (parsed === undefined) continue;
      if (previous !== undefined) expect(extendsValue(previous, parsed.value), document.slice(0, length)).toBe(true);
      previous = parsed.value;
    }
    const whole = parsePartialJson(document);
    expect(whole).toEqual({ value: JSON.parse(document), complete: true });
  });

  it('keeps an unfinished string as far as it goes', () => {
    expect(parsePartialJson('{"city": "Par')).toEqual({ value: { city: 'Par' }, complete: false });
  });

  it('leaves out a number, literal or key that may still grow', () => {
    expect(parsePartialJson('{"age": 3')?.value).toEqual({});
    expect(parsePartialJson('{"age": 36, "ok": tr')?.value).toEqual({ age: 36 });
    expect(parsePartialJson('{"age": 36, "na')?.value).toEqual({ age: 36 });
    expect(parsePartialJson('{"age": 36, "name"')?.value).toEqual({ age: 36 });
    expect(parsePartialJson('{"age": 36, "name": ')?.value).toEqual({ age: 36 });
    expect(parsePartialJson('[1.5e')?.value).toEqual([]);
  });

  it('cuts an unfinished escape instead of showing half of it', () => {
    expect(parsePartialJson('{"s": "a\\')?.value).toEqual({ s: 'a' });
    expect(parsePartialJson('{"s": "a\\u00')?.value).toEqual({ s: 'a' });
    expect(parsePartialJson('{"s": "a\\u00e9b')?.value).toEqual({ s: 'aéb' });
  });

  it('says nothing for text that is not the start of a JSON document', () => {
    for (const text of [
      '',
      '   ',
      'Sure! {"a": 1}',
      '{"a" 1}',
      '{"a": 1 "b": 2}',
      '[1 2]',
      '{"a": 1}x',
      '{"a": -x}',
      '{a: 1}',
    ])
      expect(parsePartialJson(text), text).toBeUndefined();
  });

  it('says nothing yet for a lone number or literal prefix', () => {
    expect(parsePartialJson('-')).toBeUndefined();
    expect(parsePartialJson('nu')).toBeUndefined();
    expect(parsePartialJson('12')).toBeUndefined();
  });
});

describe('PartialJsonScanner', () => {
  it('fed piece by piece, hands out the same values as reading each prefix whole, and only when they change', () => {
    const document = DOCUMENTS[1] as string;
    const scanner = new PartialJsonScanner();
    let taken = 0;
    let last: string | undefined;
    for (let length = 1; length <= document.length; length += 1) {
      scanner.push(document.slice(length - 1, length));
      const partial = scanner.take();
      const whole = parsePartialJson(document.slice(0, length));
      if (partial === undefined) {
        // Nothing new: the prefix says what the last value said.
        expect(whole === undefined ? undefined : JSON.stringify(whole.value)).toBe(last);
        continue;
      }
      taken += 1;
      expect(partial).toEqual(whole);
      last = JSON.stringify(partial.value);
    }
    expect(taken).toBeGreaterThan(10);
    expect(last).toBe(JSON.stringify(JSON.parse(document)));
  });

  it('stays failed once the text is not JSON', () => {
    const scanner = new PartialJsonScanner();
    scanner.push('{"a": 1');
    scanner.push('x');
    expect(scanner.failed).toBe(true);
    scanner.push('}');
    expect(scanner.take()).toBeUndefined();
  });
});
