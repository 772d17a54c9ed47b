/**
 * The Models tab: every model of the catalog in a table, filtered and sorted from the URL so a
 * filtered list is a link. Provider, type, capability (any alias: the gateway normalises it), max
 * blended price and min context are the gateway's own filters; text search, status, open weights,
 * local and configured-only are applied here on the gateway's answer. Rows link to the model page
 * and can be ticked for Compare (up to four).
 */
import type { ModelSummary } from '@switchboard/gateway';
import { useMemo } from 'preact/hooks';
import { listModels } from '../api.js';
import { formatPrice, formatTokens } from '../format.js';
import { formatHash, replaceParams } from '../hash-route.js';
import { ScrollRegion } from '../scroll-region.js';
import { useAsync } from './use-async.js';

/** Parameters the gateway filters on. */
const SERVER_FILTERS = ['provider', 'type', 'capability', 'maxCost', 'minContext'] as const;
/** Most models one comparison shows. */
export const MAX_COMPARED = 4;

type SortKey = 'name' | 'provider' | 'context' | 'input' | 'cached' | 'output' | 'released';

const SORTERS: Record<SortKey, (model: ModelSummary) => string | number | null> = {
  name: (model) => model.name.toLowerCase(),
  provider: (model) => model.provider,
  context: (model) => model.contextWindow,
  input: (model) => model.inputPricePer1M,
  cached: (model) => model.cachedInputPricePer1M,
  output: (model) => model.outputPricePer1M,
  released: (model) => model.released,
};

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Model', numeric: false },
  { key: 'provider', label: 'Provider', numeric: false },
  { key: 'context', label: 'Context', numeric: true },
  { key: 'input', label: 'Input $/1M', numeric: true },
  { key: 'cached', label: 'Cached $/1M', numeric: true },
  { key: 'output', label: 'Output $/1M', numeric: true },
  { key: 'released', label: 'Released', numeric: false },
];

/** Sorts by a key; unknown values (no price, no date) always go last. */
export function sortModels(models: readonly ModelSummary[], sort: string): ModelSummary[] {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  const read = SORTERS[key] ?? SORTERS.name;
  return [...models].sort((a, b) => {
    const left = read(a);
    const right = read(b);
    if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
    const order = left < right ? -1 : left > right ? 1 : 0;
    return descending ? -order : order;
  });
}

/** The models the page-side filters keep. */
export function filterModels(models: readonly ModelSummary[], params: URLSearchParams): ModelSummary[] {
  const words = (params.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const status = params.get('status') ?? '';
  return models.filter((model) => {
    const text = `${model.ref} ${model.name}`.toLowerCase();
    if (!words.every((word) => text.includes(word))) return false;
    if (status !== '' && model.status !== status) return false;
    if (params.get('openWeights') === '1' && model.openWeights !== true) return false;
    if (params.get('local') === '1' && !model.local) return false;
    if (params.get('configured') === '1' && !model.configured) return false;
    return true;
  });
}

export function ModelsView(props: { params: URLSearchParams }) {
  const { params } = props;
  const serverQuery = new URLSearchParams();
  for (const name of SERVER_FILTERS) {
    const value = params.get(name);
    if (value !== null && value !== '') serverQuery.set(name, value);
  }
  if (!serverQuery.has('type')) serverQuery.set('type', 'any');
  const queryKey = serverQuery.toString();
  const models = useAsync(() => listModels(serverQuery), queryKey);
  // Provider names for the filter come from the unfiltered catalog, so narrowing never hides a choice.
  const everything = useAsync(() => listModels(new URLSearchParams({ type: 'any' })), 'all');
  const providers = useMemo(
    () => [...new Set((everything.data?.data ?? []).map((model) => model.provider))].sort(),
    [everything.data],
  );
  const capabilities = useMemo(
    () => [...new Set((everything.data?.data ?? []).flatMap((model) => model.capabilities))].sort(),
    [everything.data],
  );
  const sort = params.get('sort') ?? 'name';
  const shown = useMemo(
    () => sortModels(filterModels(models.data?.data ?? [], params), sort),
    [models.data, params, sort],
  );
  const compared = (params.get('compare') ?? '').split(',').filter(Boolean);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    replaceParams(['models'], next);
  };
  const toggleCompared = (ref: string) => {
    const next = compared.includes(ref)
      ? compared.filter((item) => item !== ref)
      : [...compared, ref].slice(-MAX_COMPARED);
    set('compare', next.join(','));
  };
  const sortBy = (key: SortKey) => set('sort', sort === key ? `-${key}` : key);
  const ariaSort = (key: SortKey) => (sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : undefined);
  const field = (name: string) => params.get(name) ?? '';
  const check = (name: string) => (event: Event) => set(name, (event.target as HTMLInputElement).checked ? '1' : '');
  const text = (name: string) => (event: Event) => set(name, (event.target as HTMLInputElement).value);

  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      <form class="filters" aria-label="Filter models" onSubmit={(event) => event.preventDefault()}>
        <label class="grow">
          Search
          <input
            id="model-search"
            type="search"
            value={field('q')}
            onInput={text('q')}
            placeholder="name or id (press /)"
          />
        </label>
        <div class="field">
          <label htmlFor="filter-provider">Provider</label>
          <select id="filter-provider" value={field('provider')} onChange={text('provider')}>
            <option value="">all</option>
            {providers.map((provider) => (
              <option key={provider} value={provider}>
                {provider}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label htmlFor="filter-type">Type</label>
          <select id="filter-type" value={field('type')} onChange={text('type')}>
            <option value="">any</option>
            {['chat', 'embedding', 'image', 'audio', 'rerank', 'moderation'].map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={field('status')} onChange={text('status')}>
            <option value="">any</option>
            {['active', 'preview', 'deprecated', 'retired'].map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <label>
          Capability
          <input
            list="capability-names"
            value={field('capability')}
            onChange={text('capability')}
            placeholder="tools, vision…"
          />
          <datalist id="capability-names">
            {capabilities.map((capability) => (
              <option key={capability} value={capability} />
            ))}
          </datalist>
        </label>
        <label>
          Max blended $/1M
          <input
            type="number"
            min="0"
            step="any"
            inputMode="decimal"
            value={field('maxCost')}
            onChange={text('maxCost')}
          />
        </label>
        <label>
          Min context
          <input
            type="number"
            min="0"
            step="1000"
            inputMode="numeric"
            value={field('minContext')}
            onChange={text('minContext')}
          />
        </label>
        <label class="check">
          <input type="checkbox" checked={field('openWeights') === '1'} onChange={check('openWeights')} />
          Open weights
        </label>
        <label class="check">
          <input type="checkbox" checked={field('local') === '1'} onChange={check('local')} />
          Local
        </label>
        <label class="check">
          <input type="checkbox" checked={field('configured') === '1'} onChange={check('configured')} />
          Configured providers only
        </label>
      </form>
      {models.error !== undefined && (
        <p class="error" role="alert">
          {models.error}
        </p>
      )}
      <div class="toolbar">
        <p aria-live="polite" id="model-count">
          {models.loading ? 'Loading…' : `${shown.length} of ${models.data?.total ?? 0} models`}
        </p>
        <a
          class={`button${compared.length === 0 ? ' disabled' : ''}`}
          href={formatHash(['compare'], { models: compared.join(',') })}
          aria-disabled={compared.length === 0}
        >
          Compare {compared.length} / {MAX_COMPARED}
        </a>
      </div>
      <ScrollRegion label="Models table">
        <table class="data">
          <caption class="visually-hidden">Models, sortable by column</caption>
          <thead>
            <tr>
              <th scope="col">Compare</th>
              {COLUMNS.map((column) => (
                <th key={column.key} scope="col" aria-sort={ariaSort(column.key)} class={column.numeric ? 'num' : ''}>
                  <button type="button" class="sort" onClick={() => sortBy(column.key)}>
                    {column.label}
                    <span aria-hidden="true">{sort === column.key ? ' ▲' : sort === `-${column.key}` ? ' ▼' : ''}</span>
                  </button>
                </th>
              ))}
              <th scope="col">Capabilities</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((model) => (
              <tr key={model.ref}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare ${model.name}`}
                    checked={compared.includes(model.ref)}
                    onChange={() => toggleCompared(model.ref)}
                  />
                </td>
                <th scope="row">
                  <a href={formatHash(['model', ...model.ref.split('/')])}>{model.name}</a>
                  <div class="muted small">
                    {model.ref}
                    {model.status !== 'active' && <span class={`badge ${model.status}`}>{model.status}</span>}
                  </div>
                </th>
                <td>{model.provider}</td>
                <td class="num">{formatTokens(model.contextWindow)}</td>
                <td class="num">{formatPrice(model.inputPricePer1M)}</td>
                <td class="num">{formatPrice(model.cachedInputPricePer1M)}</td>
                <td class="num">{formatPrice(model.outputPricePer1M)}</td>
                <td>{model.released ?? '—'}</td>
                <td class="small">
                  {model.capabilities.slice(0, 6).join(', ')}
                  {model.capabilities.length > 6 ? '…' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
