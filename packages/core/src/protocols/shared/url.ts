/** Fills `{name}` placeholders from `params`; unknown placeholders are left as they are. */
export function fillPlaceholders(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : v;
  });
}

/**
 * Joins the base URL and an endpoint path, then appends query parameters (values may hold
 * `{placeholders}`; parameters whose value stays unresolved or empty are dropped).
 */
export function buildUrl(
  baseURL: string,
  path: string,
  query: Readonly<Record<string, string>> | undefined,
  params: Readonly<Record<string, string>>,
): string {
  const base = baseURL.replace(/\/+$/, '');
  const filledPath = fillPlaceholders(path, params);
  let url = /^https?:\/\//.test(filledPath)
    ? filledPath
    : `${base}${filledPath.startsWith('/') ? '' : '/'}${filledPath}`;
  if (query) {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      const value = fillPlaceholders(v, params);
      if (value === '' || /\{[A-Za-z0-9_.-]+\}/.test(value)) continue;
      search.append(k, value);
    }
    const qs = search.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}
