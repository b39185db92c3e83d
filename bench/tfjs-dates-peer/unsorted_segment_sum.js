// tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, which the gradient of tf.gather needs (the
// example's embedding layers: "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'", an open
// issue of tfjs, #8082). The bench registers this plain one for the wasm backend, reading and writing the
// backend's heap as its own JavaScript kernels do. Per batch it sums 128 x 12 (and 128 x 10) rows of 64
// floats: a small share of a training step.

const tf = globalThis.tf;

/** out[s, ...] = sum of x[i, ...] over the i with segmentIds[i] = s (ids outside [0, numSegments) dropped). */
function unsortedSegmentSum({inputs, backend, attrs}) {
  const {x, segmentIds} = inputs;
  const {numSegments} = attrs;
  const ids = backend.readSync(segmentIds.dataId);
  const values = backend.readSync(x.dataId);
  const inner = ids.length ? values.length / ids.length : 0;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const o = backend.typedArrayFromHeap(out);
  o.fill(0);
  for (let i = 0; i < ids.length; ++i) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0, a = s * inner, b = i * inner; j < inner; ++j) o[a + j] += values[b + j];
  }
  return out;
}

export function registerUnsortedSegmentSum() {
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum});
  }
}
