import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CompareOptions, compareWithUpstream, type ProviderSyncReport } from './compare.js';
import { loadUpstream, type UpstreamLocations } from './load-upstream.js';
import { type AppliedEdit, applySync, readProviderYaml } from './yaml-writer.js';

/** Options of {@link syncCatalog}. */
export interface SyncOptions extends UpstreamLocations, Pick<CompareOptions, 'expiryWindowDays' | 'newSince'> {
  /** Folder of the provider YAMLs (`catalog/providers`). */
  providersDir: string;
  /** Only these provider ids. */
  providers?: string[];
  /** Write the decided edits into the YAML files. */
  write?: boolean;
}

/** The whole sync: what upstream says, per provider, and what was written. */
export interface SyncResult {
  upstream: string[];
  now: string;
  providers: (ProviderSyncReport & { file: string; edits: AppliedEdit[] })[];
}

/**
 * `switchboard catalog sync`: reads both upstream catalogs, compares every provider YAML with them
 * and, with `write`, writes the edits sync may make on its own (values that follow an upstream, new
 * models), keeping comments and every value the YAML explains.
 */
export async function syncCatalog(options: SyncOptions): Promise<SyncResult> {
  const now = options.now ?? new Date().toISOString().slice(0, 10);
  const upstream = await loadUpstream({ ...options, now });
  let files: string[];
  try {
    files = readdirSync(options.providersDir).filter((name) => name.endsWith('.yaml') && !name.startsWith('_'));
  } catch (error) {
    throw new Error(`cannot read the catalog folder ${options.providersDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result: SyncResult = { upstream: upstream.locations, now, providers: [] };
  for (const name of files.sort()) {
    const file = join(options.providersDir, name);
    const yaml = readProviderYaml(readFileSync(file, 'utf8'), file);
    if (options.providers && !options.providers.includes(yaml.spec.id)) continue;
    const compareOptions: CompareOptions = {
      now,
      hasComment: (_provider, model, path) => yaml.hasComment(model, path),
    };
    if (options.expiryWindowDays !== undefined) compareOptions.expiryWindowDays = options.expiryWindowDays;
    if (options.newSince !== undefined) compareOptions.newSince = options.newSince;
    const [report] = compareWithUpstream([yaml.spec], upstream, compareOptions);
    if (!report) continue;
    let edits: AppliedEdit[] = [];
    if (options.write) {
      const applied = applySync(yaml, report);
      edits = applied.edits;
      if (edits.length > 0) writeFileSync(file, applied.text);
    }
    result.providers.push({ ...report, file, edits });
  }
  if (options.providers) {
    const unknown = options.providers.filter((id) => !result.providers.some((p) => p.provider === id));
    if (unknown.length > 0) throw new Error(`--provider: no YAML in ${options.providersDir} for ${unknown.join(', ')}`);
  }
  return result;
}
