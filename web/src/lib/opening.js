// Where the page opens: the one source of that choice, run twice with the same code — by index.html's inline
// script (vite.config.js writes these two functions, the sections' models and the built models' names into it at
// build time), which fetches the opening model's files for the worker before any module of the page has arrived,
// and by main.js, which loads that model and shows it. Plain functions of their arguments: nothing else is in
// scope when inlined.

/** The section the page opens on: the URL's (?section=), else §5 (attention). sections: [{id, model}, …]. */
export function openingSection(params, sections) {
  return sections.find((s) => s.id === params.get('section')) || sections.find((s) => s.id === 'attention');
}

/** The model the page opens on: the URL's (?model=), else its section's, else the first of `names` (the model list's). */
export function openingModel(params, sections, names) {
  return [params.get('model'), openingSection(params, sections).model, names[0]].find((n) => names.includes(n));
}
