import type { Modality } from '@switchboard/core';

/** Rounds to 6 significant digits, removing float noise such as 2.4999999999999996 (LiteLLM per-token prices x 1e6). */
export function roundSignificant(value: number, digits = 6): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Converts a LiteLLM per-token price to USD per 1M tokens; undefined stays undefined. */
export function perTokenToPerMillion(value: unknown): number | undefined {
  return typeof value === 'number' ? roundSignificant(value * 1e6) : undefined;
}

/** Keeps a number that is a plain price, rounded; drops anything else. */
export function price(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? roundSignificant(value) : undefined;
}

const MODALITIES = new Set<Modality>(['text', 'image', 'audio', 'video', 'pdf', 'file']);

/** Keeps the known modalities of a list, in first-seen order, without duplicates. */
export function toModalities(values: unknown): Modality[] {
  if (!Array.isArray(values)) return [];
  const out: Modality[] = [];
  for (const value of values) {
    const name = String(value).toLowerCase() as Modality;
    if (MODALITIES.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Capabilities that follow from input and output modalities. */
export function capabilitiesFromModalities(input: Modality[], output: Modality[]): string[] {
  const out: string[] = [];
  if (input.includes('image')) out.push('vision');
  if (input.includes('audio')) out.push('audio-input');
  if (input.includes('video')) out.push('video-input');
  if (input.includes('pdf')) out.push('pdf-input');
  if (output.includes('image')) out.push('image-output');
  if (output.includes('audio')) out.push('audio-output');
  return out;
}

/** Sorted, de-duplicated capability list. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Accepts `YYYY-MM-DD` or `YYYY-MM`; anything else is dropped. */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2})(-\d{2})?/.exec(value.trim());
  return match ? match[0] : undefined;
}

/** A positive integer token count, or undefined. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}

/** Today as `YYYY-MM-DD`, for deciding whether a dated deprecation has passed. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
