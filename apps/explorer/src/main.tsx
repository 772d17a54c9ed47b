/** The explorer's entry point (the page is built by the explorer helper; this keeps the package buildable). */
import { render } from 'preact';

render(<main>Switchboard explorer</main>, document.body);
