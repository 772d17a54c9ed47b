/**
 * Which of the telemetry view's figures answer `GET /api/telemetry?hours=`: since start when the
 * process is younger than the period (exact), a window of exactly that length, else the shortest
 * longer window or since start, marked inexact so the page can say so.
 */
import type { TelemetrySnapshot } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { choosePeriod, windowLengthMs } from '../src/operations/telemetry-report.js';

const HOUR = 3_600_000;
const WINDOWS = ['1m', '5m', '1h'];
const snapshotAged = (ageMs: number) =>
  ({ generatedAt: 10 * 24 * HOUR, since: 10 * 24 * HOUR - ageMs }) as TelemetrySnapshot;

describe('choosePeriod', () => {
  it('uses the since-start figures, exactly, while the process is younger than the period', () => {
    expect(choosePeriod(snapshotAged(30 * 60_000), WINDOWS, 1)).toEqual({ hours: 1, window: 'all', exact: true });
  });

  it('uses a window of exactly the asked length once the process is older', () => {
    expect(choosePeriod(snapshotAged(5 * HOUR), WINDOWS, 1)).toEqual({ hours: 1, window: '1h', exact: true });
    expect(choosePeriod(snapshotAged(5 * HOUR), WINDOWS, 5 / 60)).toEqual({ hours: 5 / 60, window: '5m', exact: true });
  });

  it('falls back to the shortest longer window, or since start, marked inexact', () => {
    expect(choosePeriod(snapshotAged(5 * HOUR), WINDOWS, 0.5)).toEqual({ hours: 0.5, window: '1h', exact: false });
    expect(choosePeriod(snapshotAged(48 * HOUR), WINDOWS, 24)).toEqual({ hours: 24, window: 'all', exact: false });
  });

  it('reads window names of the form <number><s|m|h|d> and ignores others', () => {
    expect(windowLengthMs('90s')).toBe(90_000);
    expect(windowLengthMs('7d')).toBe(7 * 24 * HOUR);
    expect(windowLengthMs('hourly')).toBeUndefined();
  });
});
