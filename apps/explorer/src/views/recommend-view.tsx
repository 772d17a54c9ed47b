/**
 * The Recommend tab: the gateway's recommendation form (features, min context, max cost, prefer
 * local / open weights / free, exclusions) and its ranked answer with each model's score and the
 * reasons behind it. The form's values are in the URL, so a recommendation is a link too; the
 * gateway's 400s name the field at fault and are shown next to the form.
 */
import { recommend } from '../api.js';
import { formatPrice, formatTokens } from '../format.js';
import { formatHash } from '../hash-route.js';
import { useAsync } from './use-async.js';

const list = (text: string | null) =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The recommend body the URL's parameters describe. */
export function recommendBody(params: URLSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = { limit: 10 };
  const features = list(params.get('features'));
  if (features.length > 0) body.features = features;
  const exclude = list(params.get('exclude'));
  if (exclude.length > 0) body.exclude = exclude;
  const minContext = params.get('minContext');
  if (minContext !== null && minContext !== '') body.minContext = Number(minContext);
  const maxCost = params.get('maxCost');
  if (maxCost !== null && maxCost !== '') body.maxCostPer1M = Number(maxCost);
  for (const flag of ['preferLocal', 'preferOpenWeights', 'preferFree'] as const)
    if (params.get(flag) === '1') body[flag] = true;
  return body;
}

export function RecommendView(props: { params: URLSearchParams }) {
  const { params } = props;
  const asked = params.get('run') === '1';
  const body = recommendBody(params);
  const key = asked ? JSON.stringify(body) : '';
  const answer = useAsync(async () => (asked ? recommend(body) : undefined), key);
  const maxScore = Math.max(1, ...(answer.data?.data ?? []).map((entry) => entry.score));

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const name of ['features', 'minContext', 'maxCost', 'exclude']) {
      const value = String(form.get(name) ?? '').trim();
      if (value !== '') next.set(name, value);
    }
    for (const flag of ['preferLocal', 'preferOpenWeights', 'preferFree'])
      if (form.get(flag) !== null) next.set(flag, '1');
    next.set('run', '1');
    window.location.hash = formatHash(['recommend'], next);
  };

  return (
    <section aria-labelledby="recommend-title">
      <h1 id="recommend-title">Recommend</h1>
      <form class="filters" id="recommend-form" onSubmit={onSubmit} aria-label="What the model must do">
        <label class="grow">
          Features (comma-separated, any alias)
          <input name="features" defaultValue={params.get('features') ?? ''} placeholder="tools, vision, json" />
        </label>
        <label>
          Min context
          <input name="minContext" type="number" min="0" step="1000" defaultValue={params.get('minContext') ?? ''} />
        </label>
        <label>
          Max blended $/1M
          <input name="maxCost" type="number" min="0" step="any" defaultValue={params.get('maxCost') ?? ''} />
        </label>
        <label class="grow">
          Exclude (refs or providers)
          <input name="exclude" defaultValue={params.get('exclude') ?? ''} placeholder="openai/gpt-4o" />
        </label>
        <label class="check">
          <input type="checkbox" name="preferLocal" defaultChecked={params.get('preferLocal') === '1'} />
          Prefer local
        </label>
        <label class="check">
          <input type="checkbox" name="preferOpenWeights" defaultChecked={params.get('preferOpenWeights') === '1'} />
          Prefer open weights
        </label>
        <label class="check">
          <input type="checkbox" name="preferFree" defaultChecked={params.get('preferFree') === '1'} />
          Prefer free
        </label>
        <button type="submit">Recommend</button>
      </form>
      {answer.error !== undefined && (
        <p class="error" role="alert">
          {answer.error}
        </p>
      )}
      {asked && answer.loading && <p>Ranking…</p>}
      {answer.data !== undefined && answer.data.data.length === 0 && <p>No model meets these requirements.</p>}
      {answer.data !== undefined && answer.data.data.length > 0 && (
        <ol class="ranking" id="recommendations">
          {answer.data.data.map((entry) => (
            <li key={entry.ref} class="card">
              <div class="ranking-head">
                <a href={formatHash(['model', ...entry.ref.split('/')])}>
                  <strong>{entry.name}</strong>
                </a>
                <code class="small">{entry.ref}</code>
                <span class="score">score {entry.score.toFixed(2)}</span>
              </div>
              <meter min={0} max={maxScore} value={entry.score} aria-label={`Score of ${entry.name}`} />
              <p class="small muted">
                {formatPrice(entry.blendedPricePer1M)} blended /1M · {formatTokens(entry.contextWindow)} context ·
                quality {Math.round(entry.quality.score)} · {entry.speed.tier}
              </p>
              <ul class="reasons">
                {entry.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
