import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput } from '../output.js';
import { renderTable } from '../table.js';

/** `switchboard providers`: every provider, its protocol, whether it is local and configured. */
export function registerProviders(program: Command): void {
  program
    .command('providers')
    .description('list providers with their protocol, model count and whether an API key is configured')
    .addOption(jsonOption())
    .action(async (options: { json?: boolean }) => {
      const catalog = await loadCatalog();
      const out = createOutput(Boolean(options.json));
      const rows = catalog.compareProviders().providers.map((entry) => {
        const provider = catalog.requireProvider(entry.id);
        return {
          id: provider.id,
          name: provider.name,
          protocol: provider.descriptor.protocol,
          local: provider.local,
          models: provider.models.length,
          auth: provider.descriptor.auth.type,
          env: provider.descriptor.auth.env,
          configured: catalog.isConfigured(provider.id),
          defaultModel: provider.descriptor.defaultModel,
          capabilities: provider.capabilities,
        };
      });
      if (out.json) return out.printJson(rows);
      out.print(
        renderTable(rows, [
          { header: 'ID', value: (row) => row.id },
          { header: 'NAME', value: (row) => row.name },
          { header: 'PROTOCOL', value: (row) => row.protocol },
          { header: 'MODELS', value: (row) => String(row.models), align: 'right' },
          { header: 'LOCAL', value: (row) => (row.local ? 'yes' : '') },
          {
            header: 'KEY',
            value: (row) =>
              row.auth === 'none' ? 'none needed' : row.configured ? 'configured' : `set ${row.env[0] ?? '?'}`,
          },
          { header: 'DEFAULT MODEL', value: (row) => row.defaultModel },
        ]),
      );
    });
}
