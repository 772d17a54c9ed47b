/** What a call cost, in USD, by part (computed by catalog/cost.ts). */
/**
 * What one call cost, split by how each share of tokens is billed. The parts are disjoint so they add
 * up to `total`: `input` is the uncached prompt, `cacheRead`/`cacheWrite` the cached prompt,
 * `output` the generated tokens that are not reasoning and `reasoning` the reasoning tokens (billed at
 * the reasoning rate when the catalog has one, at the output rate otherwise). Amounts are in
 * `currency`, rounded to 1e-10 so sums print without float noise.
 */
export interface Cost {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  total: number;
  currency: 'USD';
}
