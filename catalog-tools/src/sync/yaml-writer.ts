import type { ModelSpec, ProviderSpec } from '@switchboard/core';
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ProviderSyncReport } from './compare.js';
import { describeSource } from './load-upstream.js';

/** A provider YAML read with yaml's Document API, so writing it back keeps every comment. */
export interface ProviderYaml {
  /** The text as read. */
  text: string;
  document: Document;
  spec: ProviderSpec;
  /** Whether the value at `path` inside model `id` (or its line) carries a comment. */
  hasComment(id: string, path: string[]): boolean;
}

type Node = { comment?: string | null; commentBefore?: string | null } | null | undefined;
const commented = (node: unknown): boolean =>
  Boolean((node as Node)?.comment?.trim() || (node as Node)?.commentBefore?.trim());

/** Parses a provider YAML; the error names the file and the first problem. */
export function readProviderYaml(text: string, file = 'provider YAML'): ProviderYaml {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
  const spec = document.toJS() as ProviderSpec;
  if (!spec || typeof spec.id !== 'string') throw new Error(`${file}: no provider id`);
  return {
    text,
    document,
    spec,
    hasComment(id, path) {
      const index = modelIndex(document, id);
      if (index < 0) return false;
      let node: unknown = (document.get('models') as YAMLSeq).items[index];
      for (const key of path) {
        if (!isMap(node)) return false;
        const pair = (node as YAMLMap).items.find((item) => isScalar(item.key) && item.key.value === key);
        if (!pair) return false;
        if (commented(pair.key) || commented(pair.value)) return true;
        node = pair.value;
      }
      return false;
    },
  };
}

function modelIndex(document: Document, id: string): number {
  const models = document.get('models');
  if (!isSeq(models)) return -1;
  return models.items.findIndex((item) => isMap(item) && item.get('id') === id);
}

/** Flow style for the short maps and lists the catalog writes on one line. */
const FLOW_KEYS = new Set(['limits', 'pricing', 'capabilities', 'input', 'output', 'aliases', 'efforts', 'embedding']);

function newModelNode(document: Document, spec: ModelSpec, origin: string) {
  const node = document.createNode(spec) as YAMLMap;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'modalities' && isMap(pair.value))
      for (const inner of (pair.value as YAMLMap).items) (inner.value as { flow?: boolean }).flow = true;
    else if (FLOW_KEYS.has(key) && pair.value && typeof pair.value === 'object')
      (pair.value as { flow: boolean }).flow = true;
  }
  for (const key of ['released', 'knowledge', 'deprecated']) {
    const scalar = node.get(key, true);
    if (isScalar(scalar)) scalar.type = 'QUOTE_DOUBLE';
  }
  node.commentBefore = ` Added by switchboard catalog sync from ${origin}: review before committing.`;
  return node;
}

/** What {@link applySync} wrote, one line per edit. */
export interface AppliedEdit {
  model: string;
  edit: string;
}

/**
 * Writes a sync report's decided edits into a provider YAML and returns the new text: values of
 * models that follow the upstream that changed (`action: 'write'`), deprecated status from the
 * followed source, and new models appended to `models:` with their sources. Values the YAML explains
 * (`kept`) and changes for review are never touched; comments and key order stay as they were.
 */
export function applySync(yaml: ProviderYaml, report: ProviderSyncReport): { text: string; edits: AppliedEdit[] } {
  const { document } = yaml;
  const edits: AppliedEdit[] = [];
  for (const change of report.changes) {
    if (change.action !== 'write') continue;
    const index = modelIndex(document, change.model);
    if (index < 0) continue;
    if (change.field === 'capabilities') {
      const path = ['models', index, 'capabilities'];
      const list = document.getIn(path);
      if (!isSeq(list)) continue;
      const values = [...new Set([...(list.toJSON() as string[]), ...(change.upstream as string[])])].sort();
      const node = document.createNode(values) as YAMLSeq;
      node.flow = true;
      document.setIn(path, node);
      edits.push({ model: change.model, edit: `capabilities + ${(change.upstream as string[]).join(', ')}` });
      continue;
    }
    const path = ['models', index, ...change.field.split('.')];
    document.setIn(path, change.upstream);
    edits.push({
      model: change.model,
      edit: `${change.field} ${String(change.yaml)} -> ${String(change.upstream)} (${describeSource(change.source)})`,
    });
  }
  for (const status of report.statusChanges) {
    if (status.kind !== 'deprecated' || status.source === 'yaml') continue;
    const index = modelIndex(document, status.model);
    const model = yaml.spec.models?.find((m) => m.id === status.model);
    const follows = model?.source?.follows ?? 'models.dev';
    if (index < 0 || follows !== status.source.catalog || yaml.hasComment(status.model, ['status'])) continue;
    if (model?.source?.notes && /status|deprecat|retire/i.test(model.source.notes)) continue;
    document.setIn(['models', index, 'status'], 'deprecated');
    if (status.date) document.setIn(['models', index, 'deprecated'], status.date);
    edits.push({
      model: status.model,
      edit: `status ${status.yamlStatus} -> deprecated (${describeSource(status.source)})`,
    });
  }
  if (report.newModels.length > 0) {
    let models = document.get('models');
    if (!isSeq(models)) {
      models = document.createNode([]);
      document.set('models', models);
    }
    for (const entry of report.newModels) {
      const spec = structuredClone(entry.spec);
      const origin = describeSource(entry.source);
      spec.source = {
        ...spec.source,
        notes: [spec.source?.notes, `Added by catalog sync from ${origin}.`].filter(Boolean).join(' '),
      };
      (models as YAMLSeq).add(newModelNode(document, spec, origin));
      edits.push({ model: entry.id, edit: `new model (${origin})` });
    }
  }
  return {
    text: keepOriginalLines(yaml.text, document.toString({ lineWidth: 0, flowCollectionPadding: true })),
    edits,
  };
}

const normalized = (line: string): string => line.replace(/\s*([[\]{},])\s*/g, '$1').trimEnd();

/**
 * yaml re-renders flow collections with one padding style; the catalog mixes `[a, b]` and `{ a: 1 }`.
 * Every rendered line that means the same as a line of the original is given back as written, so a
 * sync diff shows only the edits.
 */
function keepOriginalLines(original: string, rendered: string): string {
  const byMeaning = new Map<string, string>();
  for (const line of original.split('\n')) if (!byMeaning.has(normalized(line))) byMeaning.set(normalized(line), line);
  return rendered
    .split('\n')
    .map((line) => byMeaning.get(normalized(line)) ?? line.replace(/\[ ([^[\]]*) \]/g, '[$1]'))
    .join('\n');
}
