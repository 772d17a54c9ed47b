/**
 * The page's frame: a header with the four tabs and the theme toggle, a skip link, and the view the
 * URL hash names. `/` focuses the search box of the Models tab, the one keyboard shortcut readers
 * expect; everything else is native links, buttons and form fields, so Tab and Enter do the rest.
 */
import { useEffect, useState } from 'preact/hooks';
import { useHashRoute } from './hash-route.js';
import { applyTheme, initialTheme, type Theme } from './theme.js';
import { CompareView } from './views/compare-view.js';
import { LiveView } from './views/live-view.js';
import { ModelView } from './views/model-view.js';
import { ModelsView } from './views/models-view.js';
import { RecommendView } from './views/recommend-view.js';

const TABS = [
  { path: 'models', label: 'Models' },
  { path: 'compare', label: 'Compare' },
  { path: 'recommend', label: 'Recommend' },
  { path: 'live', label: 'Live' },
] as const;

export function App() {
  const route = useHashRoute();
  const [theme, setTheme] = useState<Theme>(() => {
    const chosen = initialTheme();
    applyTheme(chosen, false);
    return chosen;
  });
  const view = route.path[0] ?? 'models';
  const active = view === 'model' ? 'models' : view;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      // Only text entry keeps its "/" (a select or checkbox has no use for it).
      const typing =
        target !== null &&
        (target.tagName === 'TEXTAREA' ||
          target.isContentEditable ||
          (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)));
      if (event.key === '/' && !typing) {
        const search = document.getElementById('model-search');
        if (search !== null) {
          event.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const title = TABS.find((tab) => tab.path === active)?.label ?? 'Model';
    document.title = `${title} · Switchboard explorer`;
  }, [active]);

  const toggleTheme = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next, true);
    setTheme(next);
  };

  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('content')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Switchboard explorer</span>
        <nav aria-label="Views">
          <ul>
            {TABS.map((tab) => (
              <li key={tab.path}>
                <a href={`#/${tab.path}`} aria-current={active === tab.path ? 'page' : undefined}>
                  {tab.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="theme-toggle" onClick={toggleTheme} aria-pressed={theme === 'dark'}>
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        {view === 'models' && <ModelsView params={route.params} />}
        {view === 'model' && <ModelView refName={route.path.slice(1).join('/')} />}
        {view === 'compare' && <CompareView params={route.params} />}
        {view === 'recommend' && <RecommendView params={route.params} />}
        {view === 'live' && <LiveView />}
        {!['models', 'model', 'compare', 'recommend', 'live'].includes(view) && (
          <p>
            No view named “{view}”. <a href="#/models">Go to the models</a>.
          </p>
        )}
      </main>
    </>
  );
}
