/**
 * One model's page: every fact the gateway's catalog holds (limits, every price with its tiers, cache,
 * reasoning and batch rates, time-bound and time-of-day prices, capabilities, modalities, dates,
 * status, quality and speed signals) and where each fact comes from, so a reader can check it.
 */
import type { ModelDetailsResponse } from '@switchboard/gateway';
import { modelDetails } from '../api.js';
import { formatPrice, formatTokens } from '../format.js';
import { formatHash } from '../hash-route.js';
import { useAsync } from './use-async.js';

function Fact(props: { term: string; children: preact.ComponentChildren; source?: string | undefined }) {
  return (
    <div class="fact">
      <dt>{props.term}</dt>
      <dd>
        {props.children}
        {props.source !== undefined && <span class="source">source: {props.source}</span>}
      </dd>
    </div>
  );
}

/** Where the catalog entry's facts come from, as one line. */
export function catalogSource(model: ModelDetailsResponse): string {
  const source = model.sources.catalog;
  if (model.discovered) return 'discovered by the provider’s live model list';
  if (source === null) return 'Switchboard catalog';
  const parts = [
    source.follows === undefined ? undefined : `follows ${source.follows}`,
    source.modelsDev === undefined ? undefined : `models.dev: ${source.modelsDev}`,
    source.litellm === undefined ? undefined : `LiteLLM: ${source.litellm}`,
    source.notes,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? 'Switchboard catalog' : parts.join('; ');
}

function Pricing(props: { model: ModelDetailsResponse; source: string }) {
  const pricing = props.model.pricing;
  if (pricing === null) return <p>No price in the catalog.</p>;
  const rows: [string, number | undefined][] = [
    ['Input', pricing.input],
    ['Output', pricing.output],
    ['Cache read', pricing.cacheRead],
    ['Cache write', pricing.cacheWrite],
    ['Reasoning', pricing.reasoning],
    ['Audio input', pricing.audioInput],
    ['Audio output', pricing.audioOutput],
  ];
  return (
    <>
      <dl class="facts">
        {rows
          .filter(([, value]) => value !== undefined)
          .map(([label, value]) => (
            <Fact key={label} term={`${label} $/1M tokens`} source={props.source}>
              {formatPrice(value)}
            </Fact>
          ))}
        {pricing.imageInput !== undefined && (
          <Fact term="Image input $/image" source={props.source}>
            {formatPrice(pricing.imageInput)}
          </Fact>
        )}
        {pricing.batchDiscount !== undefined && (
          <Fact term="Batch price" source={props.source}>
            {Math.round(pricing.batchDiscount * 100)}% of the regular price
          </Fact>
        )}
      </dl>
      {(pricing.tiers ?? []).length > 0 && (
        <table class="data compact">
          <caption>Long-prompt tiers ($/1M tokens)</caption>
          <thead>
            <tr>
              <th scope="col">Prompt above</th>
              <th scope="col">Input</th>
              <th scope="col">Output</th>
              <th scope="col">Cache read</th>
            </tr>
          </thead>
          <tbody>
            {(pricing.tiers ?? []).map((tier) => (
              <tr key={tier.above}>
                <th scope="row">{formatTokens(tier.above)} tokens</th>
                <td>{formatPrice(tier.input)}</td>
                <td>{formatPrice(tier.output)}</td>
                <td>{formatPrice(tier.cacheRead)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(pricing.timeBound ?? []).length > 0 && (
        <table class="data compact">
          <caption>Time-bound prices ($/1M tokens)</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Input</th>
              <th scope="col">Output</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {(pricing.timeBound ?? []).map((price) => (
              <tr key={`${price.from}-${price.until}`}>
                <th scope="row">{price.kind}</th>
                <td>{price.from ?? 'release'}</td>
                <td>{price.until ?? 'open-ended'}</td>
                <td>{formatPrice(price.input)}</td>
                <td>{formatPrice(price.output)}</td>
                <td class="small">{price.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pricing.timeOfDay !== undefined && (
        <table class="data compact">
          <caption>
            Time-of-day prices ({pricing.timeOfDay.timeZone}; source: {pricing.timeOfDay.source})
          </caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Hours</th>
              <th scope="col">Input</th>
              <th scope="col">Output</th>
            </tr>
          </thead>
          <tbody>
            {pricing.timeOfDay.windows.map((window) => (
              <tr key={window.name}>
                <th scope="row">{window.name}</th>
                <td>
                  {window.start}–{window.end} {window.days?.join(' ') ?? ''}
                </td>
                <td>{formatPrice(window.input)}</td>
                <td>{formatPrice(window.output)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ModelView(props: { refName: string }) {
  const state = useAsync(() => modelDetails(props.refName), props.refName);
  const model = state.data;
  return (
    <section aria-labelledby="model-title">
      <p>
        <a href="#/models">← All models</a>
      </p>
      {state.error !== undefined && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
      {state.loading && model === undefined && <p>Loading {props.refName}…</p>}
      {model !== undefined && (
        <>
          <h1 id="model-title">{model.name}</h1>
          <p class="muted">
            <code>{model.ref}</code> · {model.type} · <span class={`badge ${model.status}`}>{model.status}</span>
            {model.configured ? ' · configured' : ' · provider not configured'}
            {model.local ? ' · local' : ''}
          </p>
          <p>
            <a class="button" href={formatHash(['compare'], { models: model.ref })}>
              Compare with others
            </a>
          </p>
          <div class="cards">
            <article class="card">
              <h2>Limits</h2>
              <dl class="facts">
                <Fact term="Context window" source={catalogSource(model)}>
                  {formatTokens(model.limits.context)} tokens
                </Fact>
                {model.limits.input !== undefined && (
                  <Fact term="Max input" source={catalogSource(model)}>
                    {formatTokens(model.limits.input)} tokens
                  </Fact>
                )}
                <Fact term="Max output" source={catalogSource(model)}>
                  {formatTokens(model.limits.output)} tokens
                </Fact>
                {model.embedding !== null && (
                  <Fact term="Embedding dimensions" source={catalogSource(model)}>
                    {model.embedding.dimensions}
                    {model.embedding.allowedDimensions !== undefined &&
                      ` (allowed: ${model.embedding.allowedDimensions.join(', ')})`}
                  </Fact>
                )}
              </dl>
            </article>
            <article class="card">
              <h2>Prices</h2>
              <Pricing model={model} source={catalogSource(model)} />
            </article>
            <article class="card">
              <h2>Capabilities</h2>
              <ul class="chips" aria-label="Capabilities">
                {model.capabilities.map((capability) => (
                  <li key={capability}>{capability}</li>
                ))}
              </ul>
              <dl class="facts">
                <Fact term="Input modalities" source={catalogSource(model)}>
                  {model.modalities.input.join(', ')}
                </Fact>
                <Fact term="Output modalities" source={catalogSource(model)}>
                  {model.modalities.output.join(', ')}
                </Fact>
                <Fact term="Reasoning" source={catalogSource(model)}>
                  {model.reasoning === null || !model.reasoning.supported
                    ? 'no'
                    : `yes${model.reasoning.control === undefined ? '' : `, ${model.reasoning.control}`}${
                        model.reasoning.efforts === undefined ? '' : ` (${model.reasoning.efforts.join(', ')})`
                      }`}
                </Fact>
                <Fact term="Open weights" source={catalogSource(model)}>
                  {model.openWeights === null ? 'unknown' : model.openWeights ? 'yes' : 'no'}
                </Fact>
                {model.unsupportedParams.length > 0 && (
                  <Fact term="Unsupported parameters" source={catalogSource(model)}>
                    {model.unsupportedParams.join(', ')}
                  </Fact>
                )}
              </dl>
            </article>
            <article class="card">
              <h2>Dates and signals</h2>
              <dl class="facts">
                <Fact term="Released">{model.dates.released ?? '—'}</Fact>
                <Fact term="Knowledge cutoff">{model.dates.knowledge ?? '—'}</Fact>
                <Fact term="Deprecated">{model.dates.deprecated ?? '—'}</Fact>
                <Fact term="Retires">{model.dates.retires ?? '—'}</Fact>
                <Fact term="Family">{model.family ?? '—'}</Fact>
                <Fact term="Aliases">{model.aliases.length === 0 ? '—' : model.aliases.join(', ')}</Fact>
                <Fact
                  term="Quality score"
                  source={`${model.sources.quality}${model.quality.derived ? ' (estimate)' : ''}`}
                >
                  {Math.round(model.quality.score)} / 100
                </Fact>
                <Fact term="Speed" source={`${model.sources.speed}${model.speed.derived ? ' (estimate)' : ''}`}>
                  {model.speed.tier}
                  {model.speed.tokensPerSecond === undefined ? '' : `, ~${model.speed.tokensPerSecond} tokens/s`}
                </Fact>
              </dl>
            </article>
          </div>
        </>
      )}
    </section>
  );
}
