/**
 * Runs every benchmark in this folder against the workspace's TypeScript sources (no build needed)
 * and prints one table per bench: `pnpm bench`, or `node test/bench/run.ts <name>` for one of them.
 */
// The source hooks use `stripTypeScriptTypes`, still flagged experimental; keep other warnings.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'ExperimentalWarning') console.warn(warning);
});
await import('./source-hooks.ts');

const benches: Record<string, () => Promise<{ run(): Promise<unknown> }>> = {
  recommend: () => import('./recommend.ts'),
  // These four start a plain `node` child of their own: they measure the built dist, not the sources.
  http: () => import('./http.ts'),
  stream: () => import('./stream.ts'),
  'cold-start': () => import('./cold-start.ts'),
  'install-size': () => import('./install-size.ts'),
  redis: () => import('./redis.ts'),
  middleware: () => import('./middleware.ts'),
  // Starts the built gateway bin and Portkey's gateway as child processes (see gateway-processes.ts).
  gateway: () => import('./gateway.ts'),
};

const selected = process.argv.slice(2);
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const [name, load] of Object.entries(benches)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  const bench = await load();
  await bench.run();
}
