/**
 * Light and dark themes: the system's choice (prefers-color-scheme) until the reader picks one with
 * the toggle, which is remembered in localStorage. The theme is a `data-theme` attribute on <html>
 * that the stylesheet's custom properties follow, so charts read the same colours.
 */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'switchboard-explorer-theme';

/** The theme to show: the stored choice, else the system's. */
export function initialTheme(): Theme {
  const stored = readStored();
  if (stored !== undefined) return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies a theme to the document (and remembers it when the reader chose it). */
export function applyTheme(theme: Theme, remember: boolean): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  if (remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      // Storage may be off (private mode); the choice then lasts for this page only.
    }
  }
}

function readStored(): Theme | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A CSS custom property's value on <html> (charts draw with the theme's colours). */
export function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
