// The page's first script: it starts, before any other code of the page is evaluated, what the first
// translation waits for — the worker (the limits are its first message; it receives the wasm module the
// page compiles meanwhile), the model list and, once the list is in, the opening model's files — then
// loads the page itself (page.js, its own chunk). KaTeX comes later still (lib/formula.js).
performance.mark('attnlab:main'); // the marks attnlab:* are read by scripts/bench-page-load.mjs
import './style.css';
import './lib/heatmap.css';
import './lib/demos.css';
import { getClient, defaultBase } from './lib/attnlab.js';
import { SECTIONS } from './lib/sections.js';

export const client = getClient(defaultBase(import.meta.url));
window.attnlabClient = client; // for the console and the browser tests (client._crashForTest())

export const params = new URLSearchParams(location.search);
/** The section the page opens on: the URL's, else §5 (attention). */
export const firstSection = SECTIONS.find((s) => s.id === params.get('section')) || SECTIONS.find((s) => s.id === 'attention');
/** The model the page opens on: the URL's, else the section's, else the first of the list. */
export const openingModel = (list) => [params.get('model'), firstSection.model, list[0]?.name].find((n) => list.some((x) => x.name === n));

// Started at once, in parallel; page.js's start() awaits them (and reports a failure of either).
export const early = {
  manifest: client.models().then((x) => x.models),
  limits: client.limits(),
};
early.manifest.then((list) => { const name = openingModel(list); if (name) client.loadModel(`models/${name}/`).catch(() => {}); },
  () => {});

import('./page.js');
