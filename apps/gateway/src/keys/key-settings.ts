/**
 * What a virtual key may do, as given by `keys create` flags, `POST /api/keys` bodies or the config
 * file, validated into one shape. Bad input is refused with a message naming the field, because a key
 * whose limit silently failed to apply is worse than no key.
 */
import { z } from 'zod';

/** Budget periods a key's spend can be counted over (UTC calendar periods, or all time). */
export const BUDGET_PERIODS = ['hour', 'day', 'month', 'total'] as const;
export type KeyBudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** A spend limit in US dollars per period. */
export interface KeyBudget {
  maxCostUsd: number;
  period: KeyBudgetPeriod;
}

/** A virtual key's settings (everything but its identity and secret). */
export interface VirtualKeySettings {
  /** A label for people (`team-a ci`); not unique, not secret. */
  name?: string;
  /** Glob patterns of allowed model refs (`openai/*`); absent: every model. */
  models?: string[];
  /** Tags the key's calls carry (tag budgets, telemetry). */
  tags?: string[];
  /** Requests per minute, shared by every gateway instance on the Store. */
  rpm?: number;
  /** Tokens (input plus output) per minute. */
  tpm?: number;
  /** Requests in flight at once. */
  maxConcurrent?: number;
  budget?: KeyBudget;
  /** ISO 8601 instant after which the key is refused (403). */
  expiresAt?: string;
}

/** A stored key: its public id, the SHA-256 of its secret, and its settings. */
export interface VirtualKeyRecord extends VirtualKeySettings {
  id: string;
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  hash: string;
  createdAt: string;
}

/** `50/day`, `$12.5/month`: dollars per period. */
export function parseBudget(text: string): KeyBudget {
  const match = /^\s*\$?(\d+(?:\.\d+)?)\s*\/\s*(hour|day|month|total)\s*$/.exec(text);
  if (match === null) {
    throw new KeySettingsError(
      `budget: expected <dollars>/<period> with period one of ${BUDGET_PERIODS.join(', ')} (e.g. 50/day), got '${text}'`,
    );
  }
  return { maxCostUsd: Number(match[1]), period: match[2] as KeyBudgetPeriod };
}

/** Bad key settings; the message starts with the field's name. */
export class KeySettingsError extends Error {
  override name = 'KeySettingsError';
}

const positiveInteger = z.number().int().positive();
const commaList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '')
      : value,
  z.array(z.string().trim().min(1)).min(1),
);

const settingsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  models: commaList.optional(),
  tags: commaList.optional(),
  rpm: positiveInteger.optional(),
  tpm: positiveInteger.optional(),
  maxConcurrent: positiveInteger.optional(),
  budget: z
    .unknown()
    .transform((value, context): KeyBudget => {
      const problem = (message: string) => {
        context.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      if (typeof value === 'string') {
        try {
          return parseBudget(value);
        } catch (error) {
          return problem((error as Error).message.replace(/^budget: /, ''));
        }
      }
      const object = value as Partial<KeyBudget> | null;
      if (typeof object !== 'object' || object === null)
        return problem('expected <dollars>/<period> (50/day) or { maxCostUsd, period }');
      if (typeof object.maxCostUsd !== 'number' || !(object.maxCostUsd > 0))
        return problem('maxCostUsd must be a positive number of US dollars');
      if (!BUDGET_PERIODS.includes(object.period as KeyBudgetPeriod))
        return problem(`period must be one of ${BUDGET_PERIODS.join(', ')}`);
      return { maxCostUsd: object.maxCostUsd, period: object.period as KeyBudgetPeriod };
    })
    .optional(),
  expiresAt: z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), 'expected a date (2027-01-01 or an ISO 8601 instant)')
    .transform((text) => new Date(Date.parse(text)).toISOString())
    .optional(),
});

/**
 * Validates settings from any source (numbers may come as CLI strings: `--rpm 60`). Throws a
 * `KeySettingsError` naming each bad field. With `now`, an expiry in the past is refused too.
 */
export function parseKeySettings(input: unknown, now?: number): VirtualKeySettings {
  const normalized = normalizeNumbers(input);
  const result = settingsSchema.safeParse(normalized);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
    throw new KeySettingsError(problems.join('; '));
  }
  const settings: VirtualKeySettings = {};
  for (const [field, value] of Object.entries(result.data)) {
    if (value !== undefined) (settings as Record<string, unknown>)[field] = value;
  }
  if (now !== undefined && settings.expiresAt !== undefined && Date.parse(settings.expiresAt) <= now) {
    throw new KeySettingsError(`expiresAt: ${settings.expiresAt} is already in the past`);
  }
  return settings;
}

/** `'60'` -> 60 for the numeric fields, so CLI flags and JSON bodies validate alike. */
function normalizeNumbers(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const field of ['rpm', 'tpm', 'maxConcurrent']) {
    const value = out[field];
    if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) out[field] = Number(value);
  }
  return out;
}
