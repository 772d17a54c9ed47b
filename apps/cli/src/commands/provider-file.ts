import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { jsonOption } from '../json-option.js';
import { createOutput, ReportedFailure, UsageError } from '../output.js';

/**
 * `switchboard provider init [file]` and `switchboard provider check <file>`: a provider described in
 * one YAML file, for npm users who load it with `providerFromYaml` from `@switchboard/core/yaml`. The
 * template and the validator are core's (the same schema and checks as the repository's codegen), so
 * a file that passes here passes there.
 */
export function registerProviderFile(program: Command): void {
  const provider = program
    .command('provider')
    .description('write or validate a provider YAML file (load it with providerFromYaml from @switchboard/core/yaml)');

  provider
    .command('init')
    .description('write a commented provider template (its $schema modeline gives editors completion)')
    .argument('[file]', 'where to write it; - for stdout', 'provider.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (file: string, options: { force?: boolean }) => {
      const { providerTemplate } = await import('@switchboard/core/yaml');
      const template = await providerTemplate();
      if (file === '-') {
        process.stdout.write(template);
        return;
      }
      if (existsSync(file) && !options.force)
        throw new UsageError(`${file} already exists; pass --force to overwrite it.`);
      writeFileSync(file, template);
      createOutput(false).print(
        `wrote ${file}: fill it in, then run \`switchboard provider check ${file}\` and load it with providerFromYaml('${file}').`,
      );
    });

  provider
    .command('check')
    .description('validate a provider YAML file: the same schema and file:line:col messages as codegen')
    .argument('<file>', 'the provider YAML file')
    .addOption(jsonOption())
    .action(async (file: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json));
      const { formatDiagnostic, providerFromYaml, ProviderYamlError } = await import('@switchboard/core/yaml');
      if (!existsSync(file)) throw new UsageError(`${file}: no such file.`);
      try {
        const definition = await providerFromYaml(file);
        const { descriptor, models } = definition;
        if (out.json) return out.printJson({ valid: true, id: descriptor.id, models: models.length, problems: [] });
        out.print(
          `${file}: valid provider '${descriptor.id}' (${descriptor.name}, ${descriptor.protocol}) with ${models.length} model${models.length === 1 ? '' : 's'}.`,
        );
      } catch (error) {
        if (!(error instanceof ProviderYamlError)) throw error;
        if (out.json) {
          out.printJson({ valid: false, problems: error.diagnostics });
        } else {
          for (const diagnostic of error.diagnostics) out.error(formatDiagnostic(diagnostic));
          out.error(`${error.diagnostics.length} problem${error.diagnostics.length === 1 ? '' : 's'} in ${file}.`);
        }
        throw new ReportedFailure('invalid provider file');
      }
    });
}
