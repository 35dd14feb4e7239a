// The demo workload's math written out by hand over Float64Array: no graph, no allocation per step.
// It is the physical limit the Value engine is measured against (same init, same data, same order of
// operations in the forward pass, so the losses agree with the engine's).

/** Trains MLP(2, [16, 16, 1]) (ReLU, ReLU, linear) with the demo's loss and SGD schedule. */
export function trainHandwritten(params, X, y, steps) {
  const sizes = [2, 16, 16, 1];
  // params: flat array in micrograd order (per layer, per neuron: weights then bias)
  const p = Float64Array.from(params);
  const g = new Float64Array(p.length);
  const n = X.length;
  const acts = sizes.map((s) => new Float64Array(s * n)); // post-activation per layer, per sample
  const pre = sizes.map((s) => new Float64Array(s * n));
  const dActs = sizes.map((s) => new Float64Array(s * n));
  const offsets = [];
  let off = 0;
  for (let l = 1; l < sizes.length; l++) {
    offsets.push(off);
    off += sizes[l] * (sizes[l - 1] + 1);
  }
  const losses = [];
  for (let k = 0; k < steps; k++) {
    for (let s = 0; s < n; s++) {
      acts[0][s * 2] = X[s][0];
      acts[0][s * 2 + 1] = X[s][1];
    }
    for (let l = 1; l < sizes.length; l++) {
      const nin = sizes[l - 1];
      const nout = sizes[l];
      const linear = l === sizes.length - 1;
      for (let s = 0; s < n; s++) {
        for (let j = 0; j < nout; j++) {
          const base = offsets[l - 1] + j * (nin + 1);
          let act = p[base + nin];
          for (let i = 0; i < nin; i++) act = act + p[base + i] * acts[l - 1][s * nin + i];
          pre[l][s * nout + j] = act;
          acts[l][s * nout + j] = linear || act >= 0 ? act : 0;
        }
      }
    }
    // loss = mean(relu(1 - y*score)) + 1e-4 * sum(p*p)
    const last = acts[sizes.length - 1];
    let dataLoss = 0;
    for (let s = 0; s < n; s++) {
      const m = last[s] * -y[s] + 1;
      // biome-ignore lint/complexity/useMathMinMax: the engine's relu, exactly (-0 stays -0)
      dataLoss = dataLoss + (m < 0 ? 0 : m);
    }
    dataLoss = dataLoss * (1.0 / n);
    let reg = 0;
    for (let i = 0; i < p.length; i++) reg = reg + p[i] * p[i];
    losses.push(dataLoss + reg * 1e-4);
    // backward
    g.fill(0);
    for (const d of dActs) d.fill(0);
    for (let s = 0; s < n; s++) {
      const m = last[s] * -y[s] + 1;
      dActs[sizes.length - 1][s] = m > 0 ? -y[s] * (1.0 / n) : 0;
    }
    for (let l = sizes.length - 1; l >= 1; l--) {
      const nin = sizes[l - 1];
      const nout = sizes[l];
      const linear = l === sizes.length - 1;
      for (let s = 0; s < n; s++) {
        for (let j = 0; j < nout; j++) {
          const act = pre[l][s * nout + j];
          const d = linear || act > 0 ? dActs[l][s * nout + j] : 0;
          if (d === 0) continue;
          const base = offsets[l - 1] + j * (nin + 1);
          g[base + nin] += d;
          for (let i = 0; i < nin; i++) {
            g[base + i] += d * acts[l - 1][s * nin + i];
            dActs[l - 1][s * nin + i] += d * p[base + i];
          }
        }
      }
    }
    const lr = 1.0 - (0.9 * k) / 100;
    for (let i = 0; i < p.length; i++) p[i] -= lr * (g[i] + 2e-4 * p[i]);
  }
  return losses;
}
