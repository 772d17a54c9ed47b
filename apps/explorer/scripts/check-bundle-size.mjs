/**
 * Fails the build when the page's JavaScript is over its budget: 150 KB gzipped, all chunks together
 * (the limit; the explorer should stay a light page a gateway can serve to a phone). Run
 * after `vite build`; prints each chunk's gzipped size so the figure is in every build log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIMIT_BYTES = 150 * 1024;
const assets = fileURLToPath(new URL('../dist/assets', import.meta.url));
let total = 0;
for (const name of readdirSync(assets).filter((file) => file.endsWith('.js'))) {
  const size = gzipSync(readFileSync(join(assets, name)), { level: 9 }).length;
  total += size;
  console.log(`${name}: ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`explorer JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (limit ${LIMIT_BYTES / 1024} KB)`);
if (total > LIMIT_BYTES) {
  console.error(`The explorer's JavaScript is over its ${LIMIT_BYTES / 1024} KB gzipped budget: make it smaller`);
  process.exit(1);
}
