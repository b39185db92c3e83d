// The page's first script: it takes over what index.html's inline script started (the worker, the wasm
// compile, the model list; the opening model's files are already on their way to the worker), asks the worker for the
// limits and, once the list is in, to load the opening model, before any other code of the page is evaluated;
// then it loads the page itself (page.js, its own chunk). KaTeX comes later still (lib/formula.js).
performance.mark('attnlab:main'); // the marks attnlab:* are read by scripts/bench-page-load.mjs
import './style.css';
import './lib/heatmap.css';
import './lib/demos.css';
import { getClient, defaultBase } from './lib/attnlab.js';
import { SECTIONS } from './lib/sections.js';
import { openingSection, openingModel as chooseModel } from './lib/opening.js';

export const client = getClient(defaultBase(import.meta.url));
window.attnlabClient = client; // for the console and the browser tests (client._crashForTest())

export const params = new URLSearchParams(location.search);
/** The section the page opens on (lib/opening.js). */
export const firstSection = openingSection(params, SECTIONS);
/** The model the page opens on, of the model list's entries (lib/opening.js; index.html's inline script made the
 * same choice and is fetching its files for the worker). */
export const openingModel = (list) => chooseModel(params, SECTIONS, list.map((x) => x.name));

// Started at once, in parallel (the model list is the one index.html's script asked for); page.js's start() awaits
// them (and reports a failure of either).
export const early = {
  manifest: client.models().then((x) => x.models),
  limits: client.limits(),
};
early.manifest.then((list) => { const name = openingModel(list); if (name) client.loadModel(`models/${name}/`).catch(() => {}); },
  () => {});

import('./page.js');
