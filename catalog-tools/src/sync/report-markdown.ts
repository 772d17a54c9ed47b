import { describeSource } from './load-upstream.js';
import type { SyncResult } from './sync-catalog.js';

const show = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : String(value));

/** The sync result as a markdown review report: per provider, new models, changes and status changes, each with its source. */
export function syncReportMarkdown(result: SyncResult): string {
  const lines: string[] = ['# Catalog sync report', '', `Date: ${result.now}`, '', 'Upstream read:', ''];
  for (const location of result.upstream) lines.push(`- ${location}`);
  for (const provider of result.providers) {
    const empty =
      provider.newModels.length +
        provider.changes.length +
        provider.statusChanges.length +
        provider.expiringPrices.length ===
      0;
    if (empty) continue;
    lines.push('', `## ${provider.provider}`, '');
    if (provider.newModels.length > 0) {
      lines.push('### New models', '');
      for (const model of provider.newModels) {
        const price = model.spec.pricing ? ` $${model.spec.pricing.input}/$${model.spec.pricing.output} per 1M` : '';
        lines.push(
          `- \`${model.id}\` (${model.type}, released ${model.released ?? '?'}${price}, context ${model.spec.limits.context}): ${describeSource(model.source)}`,
        );
      }
      lines.push('');
    }
    if (provider.changes.length > 0) {
      lines.push(
        '### Changed facts',
        '',
        '| model | fact | YAML | upstream | source | action |',
        '| --- | --- | --- | --- | --- | --- |',
      );
      for (const change of provider.changes)
        lines.push(
          `| ${change.model} | ${change.field} | ${show(change.yaml)} | ${show(change.upstream)} | ${describeSource(change.source)} | ${change.action}${change.reason ? ` (${change.reason.replaceAll('|', '/')})` : ''} |`,
        );
      lines.push('');
    }
    if (provider.statusChanges.length > 0) {
      lines.push('### Status changes', '');
      for (const status of provider.statusChanges) {
        const source = status.source === 'yaml' ? "the YAML's own dates" : describeSource(status.source);
        const extra = [status.date && `on ${status.date}`, status.replacedBy && `replaced by ${status.replacedBy}`]
          .filter(Boolean)
          .join(', ');
        lines.push(
          `- \`${status.model}\`: ${status.kind}${extra ? ` (${extra})` : ''}, YAML says ${status.yamlStatus}; source: ${source}${status.detail ? ` ("${status.detail}")` : ''}`,
        );
      }
      lines.push('');
    }
    if (provider.expiringPrices.length > 0) {
      lines.push('### Prices ending within the window', '');
      for (const price of provider.expiringPrices)
        lines.push(`- \`${price.model}\` ${price.path}${price.kind ? ` (${price.kind})` : ''} until ${price.until}`);
      lines.push('');
    }
    if (provider.edits.length > 0) {
      lines.push('### Written', '');
      for (const edit of provider.edits) lines.push(`- \`${edit.model}\`: ${edit.edit}`);
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
