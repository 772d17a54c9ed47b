import { describe, expect, it } from 'vitest';
import { problemsOf } from './helpers.ts';

// A valid provider with a successor, a time-bound price and a time-of-day window; each test breaks one
// line and checks the exact file:line:col of the report.
const VALID = `id: acme
name: Acme
protocol: openai-chat
baseURL: https://api.acme.test/v1
auth:
  type: bearer
  env: [ACME_API_KEY]
endpoints:
  chat: /chat/completions
capabilities: [streaming]
defaultModel: acme-large
models:
  - id: acme-large
    name: Acme Large
    type: chat
    status: active
    limits: { context: 128000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming]
    pricing:
      input: 1
      output: 2
      timeBound:
        - { until: '2026-01-31', kind: introductory, input: 0.5, output: 1, source: launch post }
        - { from: '2026-03-01T16:00Z', until: '2026-03-15', kind: promotional, input: 0.8, output: 1.6, source: offer }
      timeOfDay:
        timeZone: Asia/Shanghai
        source: pricing page
        windows:
          - { name: off-peak, start: '00:30', end: '08:30', input: 0.5, output: 1 }
          - { name: weekend, start: '22:00', end: '00:30', days: [sat, sun], input: 0.6, output: 1.2 }
  - id: acme-old
    name: Acme Old
    type: chat
    status: deprecated
    deprecated: '2025-01-01'
    retires: '2025-06-01'
    replacedBy: acme-large
    limits: { context: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming]
`;

/** VALID with its line `line` (1-based) replaced. */
function withLine(line: number, replacement: string): string {
  const lines = VALID.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

describe('time-dependent catalog facts are checked with positions', () => {
  it('accepts the valid base', () => {
    expect(problemsOf(VALID)).toEqual([]);
  });

  it('a successor that is not a model of the provider', () => {
    expect(problemsOf(withLine(38, '    replacedBy: acme-larg'))).toEqual([
      "catalog/providers/acme.yaml:38:17: models[1].replacedBy: replacedBy 'acme-larg' is not a model of this provider",
    ]);
  });

  it('a successor that is the model itself', () => {
    expect(problemsOf(withLine(38, '    replacedBy: acme-old'))).toEqual([
      "catalog/providers/acme.yaml:38:17: models[1].replacedBy: replacedBy 'acme-old' names the model itself",
    ]);
  });

  it('a retirement before the deprecation', () => {
    expect(problemsOf(withLine(37, "    retires: '2024-06-01'"))).toEqual([
      "catalog/providers/acme.yaml:37:14: models[1].retires: retires '2024-06-01' is before deprecated '2025-01-01'",
    ]);
  });

  it('a date range that ends before it starts', () => {
    expect(
      problemsOf(
        withLine(
          25,
          "        - { from: '2026-03-15', until: '2026-03-01', kind: promotional, input: 0.8, output: 1.6, source: offer }",
        ),
      ),
    ).toEqual([
      "catalog/providers/acme.yaml:25:40: models[0].pricing.timeBound[1].until: until '2026-03-01' is not after from '2026-03-15'",
    ]);
  });

  it('overlapping date ranges', () => {
    expect(
      problemsOf(
        withLine(
          25,
          "        - { from: '2026-01-31T12:00Z', kind: promotional, input: 0.8, output: 1.6, source: offer }",
        ),
      ),
    ).toEqual([
      'catalog/providers/acme.yaml:25:19: models[0].pricing.timeBound[1].from: timeBound[1] starts before timeBound[0] ends (ranges must be in date order and not overlap)',
    ]);
  });

  it('a date that does not exist', () => {
    expect(
      problemsOf(
        withLine(
          24,
          "        - { until: '2026-02-30', kind: introductory, input: 0.5, output: 1, source: launch post }",
        ),
      ),
    ).toEqual([
      "catalog/providers/acme.yaml:24:20: models[0].pricing.timeBound[0].until: until '2026-02-30' is not a real date",
    ]);
  });

  it('a malformed date and an unknown kind are schema errors', () => {
    expect(
      problemsOf(
        withLine(24, "        - { until: '31.01.2026', kind: launch, input: 0.5, output: 1, source: launch post }"),
      ),
    ).toEqual([
      'catalog/providers/acme.yaml:24:20: models[0].pricing.timeBound[0].until: must match pattern "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?Z)?$"',
      'catalog/providers/acme.yaml:24:40: models[0].pricing.timeBound[0].kind: must be one of: promotional, introductory, regular',
    ]);
  });

  it('an unknown time zone', () => {
    expect(problemsOf(withLine(27, '        timeZone: Asia/Shanghi'))).toEqual([
      "catalog/providers/acme.yaml:27:19: models[0].pricing.timeOfDay.timeZone: unknown time zone 'Asia/Shanghi' (an IANA name such as UTC or Asia/Shanghai)",
    ]);
  });

  it('a time that is not HH:MM', () => {
    expect(
      problemsOf(withLine(30, "          - { name: off-peak, start: '25:30', end: '08:30', input: 0.5, output: 1 }")),
    ).toEqual([
      'catalog/providers/acme.yaml:30:38: models[0].pricing.timeOfDay.windows[0].start: must match pattern "^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$"',
    ]);
  });

  it('an empty window and overlapping windows', () => {
    expect(
      problemsOf(withLine(30, "          - { name: off-peak, start: '08:30', end: '08:30', input: 0.5, output: 1 }")),
    ).toEqual([
      "catalog/providers/acme.yaml:30:52: models[0].pricing.timeOfDay.windows[0].end: window 'off-peak' is empty: end 08:30 equals start 08:30",
    ]);
    expect(
      problemsOf(withLine(30, "          - { name: off-peak, start: '00:00', end: '08:30', input: 0.5, output: 1 }")),
    ).toEqual([
      "catalog/providers/acme.yaml:31:37: models[0].pricing.timeOfDay.windows[1].start: window 'weekend' overlaps window 'off-peak' (windows[0])",
    ]);
  });
});
