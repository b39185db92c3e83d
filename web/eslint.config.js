// ESLint for the page, the widget, the worker, their build scripts and the browser tests
// (scripts/lint.sh runs it from the repository's root: web/node_modules/.bin/eslint -c web/eslint.config.js).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['web/dist/**', 'web/node_modules/**', 'web/public/**', 'build/**', 'bench/wasm-peer/node_modules/**',
    'bench/tfjs-dates-peer/node_modules/**'] },
  js.configs.recommended,
  {
    files: ['web/src/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['web/*.js', 'web/scripts/**/*.{js,mjs}', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // node's test runner, with callbacks that Playwright runs inside the page (page.evaluate)
    files: ['tests/browser/**/*.mjs', 'scripts/bench-*-browser.mjs', 'scripts/bench-page-load.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // the TensorFlow.js example's code, ported as it was written (an unused argument kept), run in the page
    files: ['bench/tfjs-dates-peer/*.js'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-unused-vars': ['error', { args: 'none' }] },
  },
];
