// Prebuild: copies the wasm module (build/wasm/web/attnlab.{mjs,wasm}) and the worker into public/wasm/,
// the toy English -> French lexicon (data/toy_en_fr/lexicon.json, for the reference translations) into
// public/data/, and the model bundles (with their eval.json, for the page's exact-match chart) of $ATTNLAB_MODELS (default: ../models) into public/models/ with a generated
// public/models/index.json manifest. public/ is git-ignored: everything in it is generated here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(web, '..');
const wasmDir = path.join(root, 'build/wasm/web');
const modelsDir = path.resolve(process.env.ATTNLAB_MODELS || path.join(root, 'models'));
const pub = path.join(web, 'public');
const examples = JSON.parse(fs.readFileSync(path.join(web, 'examples.json'), 'utf8'));

function fail(message) {
  console.error(`web/scripts/prepare.mjs: ${message}`);
  process.exit(1);
}

// The wasm module and the worker that owns it, side by side.
fs.rmSync(path.join(pub, 'wasm'), { recursive: true, force: true });
fs.mkdirSync(path.join(pub, 'wasm'), { recursive: true });
for (const f of ['attnlab.mjs', 'attnlab.wasm']) {
  const from = path.join(wasmDir, f);
  if (!fs.existsSync(from)) fail(`${from} is missing: run scripts/build.sh wasm attnlab_web first`);
  fs.copyFileSync(from, path.join(pub, 'wasm', f));
}
// The worker's script with the glue inlined (one request instead of two in a row before the module can
// start: the worker's script, then the glue it imports). The glue stays beside it as attnlab.mjs too.
const workerSource = fs.readFileSync(path.join(web, 'src/lib/worker.js'), 'utf8');
const glue = fs.readFileSync(path.join(wasmDir, 'attnlab.mjs'), 'utf8');
const IMPORT = "import createAttnlab from './attnlab.mjs';\n";
const EXPORT = /\nexport default createAttnlab;\s*$/;
if (!workerSource.includes(IMPORT)) fail(`src/lib/worker.js no longer has the line ${IMPORT.trim()}`);
if (!EXPORT.test(glue)) fail(`${path.join(wasmDir, 'attnlab.mjs')} does not end with export default createAttnlab`);
fs.writeFileSync(path.join(pub, 'wasm/worker.js'),
  workerSource.replace(IMPORT, `// ---- the Emscripten glue (attnlab.mjs), inlined by web/scripts/prepare.mjs ----\n${glue.replace(EXPORT, '\n')}// ---- end of the glue ----\n`));

fs.rmSync(path.join(pub, 'data'), { recursive: true, force: true });
fs.mkdirSync(path.join(pub, 'data/toy_en_fr'), { recursive: true });
fs.copyFileSync(path.join(root, 'data/toy_en_fr/lexicon.json'), path.join(pub, 'data/toy_en_fr/lexicon.json'));

// The model bundles and their manifest.
fs.rmSync(path.join(pub, 'models'), { recursive: true, force: true });
fs.mkdirSync(path.join(pub, 'models'), { recursive: true });
const bundleFiles = ['config.json', 'model.safetensors', 'vocab.json'];
const manifest = [];
const names = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).sort() : [];
for (const name of names) {
  const dir = path.join(modelsDir, name);
  if (!fs.statSync(dir).isDirectory()) continue;
  if (!bundleFiles.every((f) => fs.existsSync(path.join(dir, f)))) {
    console.warn(`prepare: skipping ${dir} (not a model bundle: needs ${bundleFiles.join(', ')})`);
    continue;
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    console.warn(`prepare: skipping ${dir} (folder name must be letters, digits, '.', '_' or '-')`);
    continue;
  }
  let config;
  try {
    config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  } catch (e) {
    console.warn(`prepare: skipping ${dir} (config.json: ${e.message})`);
    continue;
  }
  const model = config.model || {};
  fs.mkdirSync(path.join(pub, 'models', name));
  for (const f of bundleFiles) fs.copyFileSync(path.join(dir, f), path.join(pub, 'models', name, f));
  const hasEval = fs.existsSync(path.join(dir, 'eval.json'));
  if (hasEval) fs.copyFileSync(path.join(dir, 'eval.json'), path.join(pub, 'models', name, 'eval.json'));
  // The Aaren model is the Transformer with Aaren decoder self-attention: the same sizes describe it.
  const transformer = model.architecture === 'transformer' || model.architecture === 'aaren';
  manifest.push({
    name,
    task: config.task || 'unknown',
    description: config.description || '',
    architecture: model.architecture || 'seq2seq',
    cell: model.cell || null,
    attention: transformer ? 'multi-head' : model.attention || 'none',
    score: model.score || null,
    eval: hasEval,
    ...(transformer && {
      transformer: {
        encoderLayers: model.num_encoder_layers, decoderLayers: model.num_decoder_layers, heads: model.num_heads,
        dModel: model.d_model, ffn: model.dim_feedforward, preLN: Boolean(model.norm_first),
        aaren: model.architecture === 'aaren',
      },
    }),
    examples: examples[config.task] || [],
  });
}
if (manifest.length === 0) fail(`no model bundles in ${modelsDir} (set ATTNLAB_MODELS to a folder of model bundles)`);
fs.writeFileSync(path.join(pub, 'models/index.json'), JSON.stringify({ models: manifest }, null, 2) + '\n');
console.log(`prepare: wasm + ${manifest.length} model(s) from ${modelsDir}: ${manifest.map((m) => m.name).join(', ')}`);
