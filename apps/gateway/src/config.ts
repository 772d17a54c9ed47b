/**
 * The gateway's configuration file: YAML, validated with zod, every error reported as
 * `file:line:column: path: problem` (the `yaml` package keeps each node's source range, so a typo in
 * a 300-line file points at its line). Keys never appear inline: a provider names the environment
 * variable that holds its key (`apiKeyEnv`), or the config points at a file written by core's
 * `saveConfigFile` whose keys are encrypted with the secret box (`secretsFile`, opened with
 * `SWITCHBOARD_CONFIG_KEY`).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';

const KINDS = [
  'authentication',
  'permission',
  'not-found',
  'rate-limit',
  'context-length-exceeded',
  'invalid-request',
  'content-filter',
  'timeout',
  'network',
  'provider',
  'quota-exceeded',
  'unsupported-capability',
  'configuration',
  'invalid-response',
] as const;

const ENV_NAME = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');
const MODEL_REF = z.string().min(1, 'must name a model');

const providerSchema = z.strictObject({
  /** Environment variable holding the key; the catalog's own variables are read when absent. */
  apiKeyEnv: ENV_NAME.optional(),
  apiKey: z
    .never({ error: 'inline keys are refused: name the variable in apiKeyEnv, or use secretsFile (encrypted)' })
    .optional(),
  baseURL: z.url().optional(),
  baseURLEnv: ENV_NAME.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  params: z.record(z.string(), z.string()).optional(),
  defaultModel: z.string().optional(),
  defaultEmbeddingModel: z.string().optional(),
});

const groupSchema = z.strictObject({
  strategy: z
    .enum([
      'round-robin',
      'random',
      'weighted',
      'least-busy',
      'latency-weighted',
      'cost-optimized',
      'local-first',
      'capability-aware',
    ])
    .optional(),
  deployments: z
    .array(z.strictObject({ model: MODEL_REF, id: z.string().optional(), weight: z.number().positive().optional() }))
    .min(1, 'a group needs at least one deployment'),
  fallback: z.array(MODEL_REF).optional(),
});

/**
 * Exactly the periods core's `BudgetPeriod` (core's resilience/state/budget.ts) counts: the UTC calendar periods, all
 * time, or `{ ms }` aligned to multiples of `ms`. Anything else (`minute`, `week`) would only fail
 * later inside the budget tracker, so it is refused here, at its line.
 */
const BUDGET_PERIOD = z.union(
  [
    z.enum(['hour', 'day', 'month', 'total']),
    z.strictObject({ ms: z.number().int().positive('must be a positive whole number of milliseconds') }),
  ],
  { error: 'must be hour, day, month, total or { ms: <period length in milliseconds> }' },
);

const budgetSchema = z.strictObject({
  key: z.string().optional(),
  tag: z.string().optional(),
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
  period: BUDGET_PERIOD,
});

/** The file's shape (every section optional). */
export const gatewayConfigSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65535).optional(),
      /** Largest accepted request body, bytes (default 4 MiB). */
      bodyLimitBytes: z.number().int().positive().optional(),
      /** How long SIGTERM waits for in-flight requests and streams, ms (default 10 000). */
      drainTimeoutMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** Provider id -> settings. Only these providers are installed when the section is present. */
  providers: z.record(z.string(), providerSchema.nullable()).optional(),
  /** A `saveConfigFile` file (keys encrypted with the secret box), relative to this file. */
  secretsFile: z.string().optional(),
  /** Alias -> `provider/model` or group name. */
  aliases: z.record(z.string(), MODEL_REF).optional(),
  groups: z.record(z.string(), groupSchema).optional(),
  /** Model ref -> models tried in order when it fails for good. */
  fallbacks: z.record(z.string(), z.array(MODEL_REF)).optional(),
  fallbackOn: z.array(z.enum(KINDS)).optional(),
  cache: z.union([z.boolean(), z.strictObject({ ttlMs: z.number().int().positive().optional() })]).optional(),
  rateLimits: z
    .union([
      z.boolean(),
      z.strictObject({ policy: z.enum(['wait', 'fail']).optional(), maxWaitMs: z.number().optional() }),
    ])
    .optional(),
  budgets: z.array(budgetSchema).optional(),
  /** `memory` (default) or a `redis://` / `rediss://` URL. */
  store: z
    .string()
    .refine((value) => value === 'memory' || /^rediss?:\/\//.test(value), 'must be "memory" or a redis:// URL')
    .optional(),
  /** Spans, Prometheus metrics and the in-process view: on by default, `false` turns them off. */
  telemetry: z.boolean().optional(),
  cors: z.strictObject({ origins: z.array(z.string()) }).optional(),
  keys: z
    .strictObject({
      /** Clients must present a virtual key. */
      required: z.boolean().optional(),
      /** Environment variable holding the admin key (guards `/api/*` writes and key management). */
      adminKeyEnv: ENV_NAME.optional(),
    })
    .optional(),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** A configuration file that cannot be used; the message holds every problem as `file:line:col: path: problem`. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Reads, parses and validates a config file. */
export async function loadGatewayConfig(file: string): Promise<{ config: GatewayConfig; directory: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayConfigError(`${file}: cannot read the config file (${(error as Error).message})`);
  }
  return { config: parseGatewayConfig(text, file), directory: dirname(resolve(file)) };
}

/** Parses and validates config text; `file` names it in errors. */
export function parseGatewayConfig(text: string, file = '<config>'): GatewayConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return `${file}`;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => `${where(error.pos[0])}: ${error.message.split('\n')[0]}`);
    throw new GatewayConfigError(`Invalid gateway config:\n  ${problems.join('\n  ')}`, problems);
  }
  const value = document.toJS() ?? {};
  const parsed = gatewayConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      // One line per unknown key, at the key itself.
      return issue.keys.map(
        (key) =>
          `${where(nodeAt(document.contents, [...path, key], true)?.range?.[0])}: ${dotted([...path, key])}: unknown setting`,
      );
    }
    return [
      `${where(nodeAt(document.contents, path, false)?.range?.[0])}: ${dotted(path) || '(top level)'}: ${issue.message}`,
    ];
  });
  throw new GatewayConfigError(`Invalid gateway config:\n  ${problems.join('\n  ')}`, problems);
}

/** `groups.g.deployments[0].model` from a zod path. */
function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** The YAML node at a zod issue's path (the deepest one that exists; the key's node when `atKey`), for its line. */
function nodeAt(root: unknown, path: readonly PropertyKey[], atKey: boolean): Node | undefined {
  let node = root as Node | undefined;
  let found = node;
  for (let index = 0; index < path.length; index += 1) {
    const part = path[index];
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      node = (pair.value ?? undefined) as Node | undefined;
      found = (atKey && index === path.length - 1) || node === undefined ? (pair.key as Node) : node;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part] as Node | undefined;
      if (!node) break;
      found = node;
    } else break;
  }
  return found;
}
