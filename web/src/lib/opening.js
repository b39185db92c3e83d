// Where the page opens: the one source of that choice, run twice with the same code — by index.html's inline
// script (vite.config.js writes these functions, the sections' models and sentences and the built models' names
// into it at build time), which fetches the opening model's files for the worker before any module of the page
// has arrived and names the opening sentence to it, and by main.js and page.js, which load that model and
// translate that sentence. Plain functions of their arguments: nothing else is in scope when inlined.

/** The section the page opens on: the URL's (?section=), else §5 (attention). sections: [{id, model}, …]. */
export function openingSection(params, sections) {
  return sections.find((s) => s.id === params.get('section')) || sections.find((s) => s.id === 'attention');
}

/** The model the page opens on: the URL's (?model=), else its section's, else the first of `names` (the model list's). */
export function openingModel(params, sections, names) {
  return [params.get('model'), openingSection(params, sections).model, names[0]].find((n) => names.includes(n));
}

/** The sentence the page opens with: the URL's (?s=), else its section's. */
export function openingSentence(params, sections) {
  return params.has('s') ? params.get('s') : openingSection(params, sections).sentence;
}
