/**
 * The page's address lives in the URL hash (`#/compare?models=a,b&requests=1000`), so every view,
 * filter and comparison is a link one can share or bookmark, and static hosting needs no server-side
 * routing. The query part uses URLSearchParams, the format people already read.
 */
import { useEffect, useState } from 'preact/hooks';

/** A parsed hash: the view's path segments and its parameters. */
export interface HashRoute {
  /** `['models']`, `['model', 'openai', 'gpt-4o']`, `['compare']`, ... */
  path: string[];
  params: URLSearchParams;
}

/** Parses `#/a/b?x=1`. */
export function parseHash(hash: string): HashRoute {
  const text = hash.replace(/^#\/?/, '');
  const question = text.indexOf('?');
  const pathText = question === -1 ? text : text.slice(0, question);
  const queryText = question === -1 ? '' : text.slice(question + 1);
  const path = pathText
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeURIComponent);
  return { path: path.length === 0 ? ['models'] : path, params: new URLSearchParams(queryText) };
}

/** The hash for a path and parameters (empty parameters dropped, so links stay short). */
export function formatHash(path: readonly string[], params?: URLSearchParams | Record<string, string>): string {
  const query = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params ?? {});
  for (const [name, value] of entries) if (value !== '') query.append(name, value);
  const queryText = query.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${queryText === '' ? '' : `?${queryText}`}`;
}

/** The current route, updated on every hash change. */
export function useHashRoute(): HashRoute {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Replaces the current parameters without adding a history entry per keystroke. */
export function replaceParams(path: readonly string[], params: URLSearchParams): void {
  const hash = formatHash(path, params);
  if (hash !== window.location.hash) {
    window.history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }
}
