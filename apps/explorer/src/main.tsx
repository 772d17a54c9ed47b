/** The explorer's entry point: the stylesheet and the app, rendered into <div id="app">. */
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

render(<App />, document.getElementById('app') as HTMLElement);
