/** How numbers read on the page: prices per 1M tokens, token counts, money, dates, durations. */

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** `$2.50` per 1M tokens; `—` when unknown; `free` at zero. */
export function formatPrice(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return 'free';
  return `$${value < 0.01 ? value.toPrecision(2) : plain.format(value)}`;
}

/** `$12.34`, with more digits for sub-cent amounts. */
export function formatMoney(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  return `$${new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)}`;
}

/** `128K` tokens. */
export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return compact.format(value);
}

/** A plain number with at most two decimals. */
export function formatNumber(value: number): string {
  return plain.format(value);
}

/** `12.5%`. */
export function formatPercent(fraction: number): string {
  return `${plain.format(fraction * 100)}%`;
}

/** `230 ms` / `1.2 s`; `—` when unknown. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value < 1000 ? `${Math.round(value)} ms` : `${plain.format(value / 1000)} s`;
}

/** `14:03:07` local time. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB');
}
