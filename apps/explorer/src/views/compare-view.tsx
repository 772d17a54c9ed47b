/**
 * The Compare tab: up to four models side by side, each row a fact, rows where the models differ
 * highlighted (and marked in text, not only by colour). Below, the cost calculator: tokens per
 * request and requests per day give each model's monthly cost, and a chart shows how that cost grows
 * with traffic. Models and the calculator's fields live in the URL.
 */
import type { ModelDetailsResponse } from '@switchboard/gateway';
import { useMemo } from 'preact/hooks';
import { listModels, modelDetails } from '../api.js';
import { Chart, type ChartSeries } from '../chart.js';
import { DAYS_PER_MONTH, monthlyCost, type Usage, usageFromParams } from '../cost.js';
import { formatMoney, formatPrice, formatTokens } from '../format.js';
import { formatHash, replaceParams } from '../hash-route.js';
import { ScrollRegion } from '../scroll-region.js';
import { MAX_COMPARED } from './models-view.js';
import { useAsync } from './use-async.js';

/** The facts compared, each read as display text. */
const ROWS: { label: string; read: (model: ModelDetailsResponse) => string }[] = [
  { label: 'Provider', read: (model) => model.provider },
  { label: 'Type', read: (model) => model.type },
  { label: 'Status', read: (model) => model.status },
  { label: 'Context window', read: (model) => formatTokens(model.limits.context) },
  { label: 'Max output', read: (model) => formatTokens(model.limits.output) },
  { label: 'Input $/1M', read: (model) => formatPrice(model.pricing?.input) },
  { label: 'Cached input $/1M', read: (model) => formatPrice(model.pricing?.cacheRead) },
  { label: 'Output $/1M', read: (model) => formatPrice(model.pricing?.output) },
  { label: 'Blended $/1M', read: (model) => formatPrice(model.blendedPricePer1M) },
  { label: 'Capabilities', read: (model) => model.capabilities.join(', ') },
  { label: 'Input modalities', read: (model) => model.modalities.input.join(', ') },
  { label: 'Output modalities', read: (model) => model.modalities.output.join(', ') },
  { label: 'Reasoning', read: (model) => (model.reasoning?.supported === true ? 'yes' : 'no') },
  {
    label: 'Open weights',
    read: (model) => (model.openWeights === null ? 'unknown' : model.openWeights ? 'yes' : 'no'),
  },
  { label: 'Local', read: (model) => (model.local ? 'yes' : 'no') },
  { label: 'Released', read: (model) => model.dates.released ?? '—' },
  {
    label: 'Quality',
    read: (model) => `${Math.round(model.quality.score)}${model.quality.derived ? ' (estimate)' : ''}`,
  },
  { label: 'Speed', read: (model) => model.speed.tier },
];

const SERIES_COLORS = ['--series-1', '--series-2', '--series-3', '--series-4'];

/** Monthly cost at 0..2x the chosen requests per day, for the chart. */
function costCurve(models: readonly ModelDetailsResponse[], usage: Usage): { x: number[]; series: ChartSeries[] } {
  const top = Math.max(10, usage.requestsPerDay * 2);
  const x = Array.from({ length: 21 }, (_, index) => Math.round((top * index) / 20));
  const series = models.map((model, index) => ({
    label: model.name,
    colorVariable: SERIES_COLORS[index % SERIES_COLORS.length] as string,
    values: x.map((requestsPerDay) => monthlyCost(model.pricing, { ...usage, requestsPerDay })),
  }));
  return { x, series };
}

export function CompareView(props: { params: URLSearchParams }) {
  const { params } = props;
  const refs = (params.get('models') ?? '').split(',').filter(Boolean).slice(0, MAX_COMPARED);
  const usage = usageFromParams(params);
  const details = useAsync(() => Promise.all(refs.map((ref) => modelDetails(ref))), refs.join(','));
  const catalog = useAsync(() => listModels(new URLSearchParams({ type: 'any' })), 'all');
  const models = details.data ?? [];
  const curve = useMemo(
    () => costCurve(models, usage),
    [details.data, usage.inputTokens, usage.cachedInputTokens, usage.outputTokens, usage.requestsPerDay],
  );
  const costs = models.map((model) => monthlyCost(model.pricing, usage));
  const cheapest = Math.min(...costs.filter((cost): cost is number => cost !== null));

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    replaceParams(['compare'], next);
  };
  const setModels = (next: string[]) => set('models', next.slice(0, MAX_COMPARED).join(','));
  const onAdd = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('add-model') as HTMLInputElement;
    const ref = input.value.trim();
    if (ref !== '' && !refs.includes(ref)) setModels([...refs, ref]);
    input.value = '';
  };
  const number = (name: string) => (event: Event) => set(name, (event.target as HTMLInputElement).value);

  return (
    <section aria-labelledby="compare-title">
      <h1 id="compare-title">Compare</h1>
      <form class="filters" onSubmit={onAdd} aria-label="Add a model to the comparison">
        <label class="grow">
          Add a model (provider/model)
          <input
            name="add-model"
            list="model-refs"
            disabled={refs.length >= MAX_COMPARED}
            placeholder="openai/gpt-4o-mini"
          />
          <datalist id="model-refs">
            {(catalog.data?.data ?? []).map((model) => (
              <option key={model.ref} value={model.ref} />
            ))}
          </datalist>
        </label>
        <button type="submit" disabled={refs.length >= MAX_COMPARED}>
          Add
        </button>
      </form>
      {refs.length === 0 && (
        <p>
          No models yet: add one above, or tick models in the <a href="#/models">Models</a> table.
        </p>
      )}
      {details.error !== undefined && (
        <p class="error" role="alert">
          {details.error}
        </p>
      )}
      {models.length > 0 && (
        <ScrollRegion label="Comparison table">
          <table class="data compare">
            <caption class="visually-hidden">Facts of the compared models; rows that differ are marked</caption>
            <thead>
              <tr>
                <th scope="col">Fact</th>
                {models.map((model) => (
                  <th scope="col" key={model.ref}>
                    <a href={formatHash(['model', ...model.ref.split('/')])}>{model.name}</a>
                    <button
                      type="button"
                      class="link small"
                      aria-label={`Remove ${model.name} from the comparison`}
                      onClick={() => setModels(refs.filter((ref) => ref !== model.ref))}
                    >
                      remove
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ROWS.map((row) => {
                const values = models.map(row.read);
                const differs = new Set(values).size > 1;
                return (
                  <tr key={row.label} class={differs ? 'differs' : ''}>
                    <th scope="row">
                      {row.label}
                      {differs && <span class="differs-mark"> (differs)</span>}
                    </th>
                    {values.map((value, index) => (
                      <td key={models[index]?.ref}>{value}</td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <h2 id="cost-title">Cost calculator</h2>
      <form class="filters" aria-labelledby="cost-title" onSubmit={(event) => event.preventDefault()}>
        <label>
          Input tokens / request
          <input id="cost-input" type="number" min="0" step="1" value={usage.inputTokens} onInput={number('input')} />
        </label>
        <label>
          Cached input tokens / request
          <input
            id="cost-cached"
            type="number"
            min="0"
            step="1"
            value={usage.cachedInputTokens}
            onInput={number('cached')}
          />
        </label>
        <label>
          Output tokens / request
          <input
            id="cost-output"
            type="number"
            min="0"
            step="1"
            value={usage.outputTokens}
            onInput={number('output')}
          />
        </label>
        <label>
          Requests / day
          <input
            id="cost-requests"
            type="number"
            min="0"
            step="1"
            value={usage.requestsPerDay}
            onInput={number('requests')}
          />
        </label>
      </form>
      {models.length > 0 && (
        <>
          <ScrollRegion label="Monthly cost">
            <table class="data compact" id="monthly-costs">
              <caption>Monthly cost ({DAYS_PER_MONTH} days)</caption>
              <tbody>
                {models.map((model, index) => (
                  <tr key={model.ref} class={costs[index] === cheapest ? 'best' : ''}>
                    <th scope="row">{model.name}</th>
                    <td class="num" data-ref={model.ref}>
                      {costs[index] === null || costs[index] === undefined ? 'no price' : formatMoney(costs[index])}
                      {costs[index] === cheapest && models.length > 1 ? ' (cheapest)' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <Chart
            label={`Monthly cost in USD against requests per day, for ${models.map((model) => model.name).join(', ')}`}
            x={curve.x}
            series={curve.series}
            time={false}
            xLabel="requests / day"
            yLabel="USD / month"
            yFormat={(value) => `$${value}`}
          />
        </>
      )}
    </section>
  );
}
