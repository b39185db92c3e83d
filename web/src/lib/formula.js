// Formulas typeset by KaTeX: renderFormula(element, tex[, options]) (display mode, an error in the TeX
// throws). KaTeX and its CSS are the page's largest library and no part of the first translation, so
// they are loaded in a chunk of their own (a dynamic import: Vite splits it off the page's script), and
// only once the page lets them: typesetFormulas(), which the page calls when its first translation is on
// screen, so neither KaTeX's download and evaluation nor its fonts and restyling compete with it. A formula
// asked for before KaTeX arrives is typeset when it does (the latest TeX asked for an element wins); once
// it is in, renderFormula typesets at once.
let katex = null;            // the module, once loaded
let loading = null;          // Promise: KaTeX loaded and the waiting formulas typeset
let allowed = false;         // typesetFormulas() was called: KaTeX may be asked for
const waiting = new Map();   // element -> [tex, options], asked for before KaTeX arrived

const typeset = (el, tex, options) => katex.render(tex, el, { displayMode: true, throwOnError: true, ...options });

function load() {
  loading ||= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([module]) => {
    katex = module.default;
    performance.mark('attnlab:katex');
    for (const [el, [tex, options]] of waiting) typeset(el, tex, options);
    waiting.clear();
  });
  return loading;
}

export function renderFormula(el, tex, options = {}) {
  if (katex) {
    typeset(el, tex, options);
    return;
  }
  el.replaceChildren(); // no stale formula while the new one waits
  waiting.set(el, [tex, options]);
  if (allowed) load();
}

/** Lets KaTeX load from now on; resolves when every formula asked for so far is on screen. */
export function typesetFormulas() {
  allowed = true;
  return waiting.size ? load() : Promise.resolve();
}
