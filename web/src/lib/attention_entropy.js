// The attention entropy of a translation's map (primer §6: a saturated softmax puts all the weight on one
// token, entropy near 0; a uniform smear over n tokens has entropy ln n). The Train panel plots it for
// the probe sentence over the steps; the bench script prints it.
import { meanOfHeads, slice, defaultView } from './heatmap.js';

/** The mean over output rows of the entropy (nats) of the probe's attention weights, on the map the page
 * opens on (cross-attention; a Transformer's last layer, mean of heads): a uniform smear over n source
 * tokens is ln n, a sharp alignment is near 0. null when the probe has no map. */
export function attentionEntropy(probe) {
  const v = probe && defaultView(probe);
  const map = v?.name && probe.attention[v.name];
  if (!map) return null;
  const rows = map.shape.length >= 3 ? meanOfHeads(map, v.layer) : slice(map);
  if (!rows.length) return null;
  let total = 0;
  for (const row of rows) total -= row.reduce((s, a) => (a > 0 ? s + a * Math.log(a) : s), 0);
  return total / rows.length;
}
