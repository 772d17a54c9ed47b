/**
 * The page's only backend is the gateway's own API. Its address is the page's origin when the gateway
 * serves the page, or `?gateway=<url>` when the page is deployed as static files somewhere else. The
 * answers are typed with the gateway's own response types, so renaming a field there breaks this
 * build instead of the page at run time.
 */
import type {
  ApiErrorBody,
  LiveResponse,
  ModelDetailsResponse,
  ModelListResponse,
  RecommendResponse,
} from '@switchboard/gateway';

/** The gateway's base URL, without a trailing slash. */
export function gatewayBaseURL(location: Pick<Location, 'search' | 'origin'> = window.location): string {
  const given = new URLSearchParams(location.search).get('gateway');
  const base = given !== null && given.trim() !== '' ? given.trim() : location.origin;
  return base.replace(/\/+$/, '');
}

/** A failed API call, with the gateway's message and the parameter it names. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly param: string | null,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${gatewayBaseURL()}${path}`, init);
  } catch (error) {
    throw new ApiError(`The gateway at ${gatewayBaseURL()} cannot be reached (${String(error)})`, 0, null);
  }
  const text = await response.text();
  if (!response.ok) {
    let body: ApiErrorBody | undefined;
    try {
      body = JSON.parse(text) as ApiErrorBody;
    } catch {
      body = undefined;
    }
    throw new ApiError(
      body?.error?.message ?? `${response.status} ${response.statusText}`,
      response.status,
      body?.error?.param ?? null,
    );
  }
  return JSON.parse(text) as T;
}

/** `GET /api/models` with the server-side filters. */
export function listModels(query: URLSearchParams): Promise<ModelListResponse> {
  const text = query.toString();
  return request(`/api/models${text === '' ? '' : `?${text}`}`);
}

/** `GET /api/models/{provider}/{model}`. */
export function modelDetails(ref: string): Promise<ModelDetailsResponse> {
  const slash = ref.indexOf('/');
  const provider = encodeURIComponent(ref.slice(0, slash));
  const model = ref
    .slice(slash + 1)
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return request(`/api/models/${provider}/${model}`);
}

/** `POST /api/models/recommend`. */
export function recommend(body: Record<string, unknown>): Promise<RecommendResponse> {
  return request('/api/models/recommend', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** `GET /api/live` (one reading; the Live view prefers the stream). */
export function liveSnapshot(): Promise<LiveResponse> {
  return request('/api/live');
}

/** The URL of the live stream (Server-Sent Events). */
export function liveStreamURL(intervalMs: number): string {
  return `${gatewayBaseURL()}/api/live/stream?interval=${intervalMs}`;
}
