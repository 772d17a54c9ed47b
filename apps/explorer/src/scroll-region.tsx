/**
 * A horizontally scrollable box around a wide table. At phone width the table scrolls inside it, and
 * keyboard users must be able to scroll it too, so it takes focus (WCAG 2.1.1; axe's
 * scrollable-region-focusable) and is a named region that screen readers announce.
 */
import type { ComponentChildren } from 'preact';

export function ScrollRegion(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be scrolled
    <section class="table-scroll" tabIndex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}
