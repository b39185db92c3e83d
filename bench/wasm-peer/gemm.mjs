// GEMM in wasm under node, single thread: attnlab's kernels (bench_gemm_wasm) against tfjs-backend-wasm
// 4.22 (XNNPACK, SIMD, threads off) in its fast layout: tf.matMul(a, b), no transpose, batch 1, B a
// constant tensor (XNNPACK packs it once and keeps it). Time is process CPU time (process.cpuUsage),
// contenders interleaved shape by shape and round by round, median GFLOP/s of the rounds and spread.
// Usage: node --no-experimental-fetch gemm.mjs path/to/bench_gemm_wasm.cjs [rounds] [sample-ms]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const [modulePath, roundsArg = '5', sampleArg = '40'] = process.argv.slice(2);
if (!modulePath) {
  console.error('usage: node gemm.mjs path/to/bench_gemm_wasm.cjs [rounds] [sample-ms]');
  process.exit(2);
}
const rounds = Math.max(1, Number(roundsArg)), sampleMs = Math.max(1, Number(sampleArg));

// The shapes of bench/gemm_shapes.hpp, read from there so both benches measure the same list.
const shapesSrc = readFileSync(path.join(here, '..', 'gemm_shapes.hpp'), 'utf8');
const shapes = [...shapesSrc.matchAll(/\{(\d+), (\d+), (\d+)\}/g)].map((m) => m.slice(1).map(Number));

const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1e-6; };
const median = (v) => { const s = [...v].sort((x, y) => x - y), n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

const mod = await require(path.resolve(modulePath))();
const kernelCount = mod._kernel_count();
const names = [];
for (let i = 0; i <= kernelCount; ++i) names.push(mod.UTF8ToString(mod._kernel_name(i)));

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);  // single thread, like the rest
setWasmPaths(path.join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
await tf.setBackend('wasm');
await tf.ready();
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');

console.log(`GEMM, wasm under node ${process.version}, single thread, GFLOP/s: median of ${rounds} rounds (spread = (max-min)/median)`);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`attnlab: gemm = ${mod.UTF8ToString(mod._gemm_name())}; tfjs-backend-wasm ${tf.version_core}, backend ${tf.getBackend()}, SIMD ${simd}, threads ${threads}`);

const cols = [...names, 'tfjs'];
console.log('\n' + 'MxNxK'.padEnd(16) + cols.map((c) => c.padStart(15)).join(' ') + ' ' + 'gemm/tfjs'.padStart(15));
for (const [M, N, K] of shapes) {
  const flops = 2 * M * N * K;
  mod._set_shape(M, N, K);
  // Values do not change the time (uniform in (-1, 1), no denormals); each side draws its own.
  const a = tf.tensor2d(Float32Array.from({ length: M * K }, () => Math.random() * 2 - 1), [M, K]);
  const b = tf.tensor2d(Float32Array.from({ length: K * N }, () => Math.random() * 2 - 1), [K, N]);
  const runners = names.map((_, i) => (reps) => mod._run(i, reps));
  runners.push((reps) => { for (let r = 0; r < reps; ++r) tf.matMul(a, b).dispose(); });
  const maxFlops = names.map((n) => (n === 'scalar' ? 3e8 : Infinity)).concat([Infinity]);
  const reps = runners.map((run, i) => {
    if (flops > maxFlops[i]) return 0;
    run(1);  // warm up (tfjs packs B here)
    let n = 1, t = 0;
    for (;;) { const t0 = cpuSeconds(); run(n); t = cpuSeconds() - t0; if (t >= 0.005) break; n *= 4; }
    return Math.max(1, Math.round(n * sampleMs * 1e-3 / t));
  });
  const gflops = runners.map(() => []);
  for (let r = 0; r < rounds; ++r)
    for (let j = 0; j < runners.length; ++j) {
      const i = (j + r) % runners.length;
      if (!reps[i]) continue;
      const t0 = cpuSeconds();
      runners[i](reps[i]);
      gflops[i].push(flops * reps[i] / (cpuSeconds() - t0) * 1e-9);
    }
  a.dispose(); b.dispose();
  const cells = gflops.map((g) => {
    if (!g.length) return '-'.padStart(15);
    const m = median(g);
    return `${m.toFixed(1)} (${(100 * (Math.max(...g) - Math.min(...g)) / m).toFixed(0)}%)`.padStart(15);
  });
  const ratio = median(gflops[names.length - 1]) / median(gflops[names.length]);  // gemm / tfjs
  console.log(`${M}x${N}x${K}`.padEnd(16) + cells.join(' ') + ' ' + (ratio.toFixed(2) + 'x').padStart(15));
}
console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
