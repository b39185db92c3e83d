import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// The embeddable widget: one ES module, public/widget/attnlab-widget.js, that finds the wasm module and
// the models in the folder above its own (../wasm/, ../models/). The page build then copies it to dist/.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'public/widget',
    emptyOutDir: true,
    lib: { entry: resolve(import.meta.dirname, 'src/widget.js'), formats: ['es'], fileName: () => 'attnlab-widget.js' },
  },
});
