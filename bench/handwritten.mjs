// micrograd's demo (MLP(2, [16, 16, 1]), ReLU, ReLU, linear; max-margin + L2 over 100 points; SGD) written
// by hand for exactly these shapes: three fixed layers, one flat Float64Array per layer, constant offsets,
// nothing allocated per step. It is the yardstick the engine is measured against, so it is as fast as we
// could make it (a general loop over layers, the previous yardstick, ran ~2.5x slower).
//
// It also does the engine's float operations in the engine's order, so its losses are the object API's to
// the last bit (the bench checks all 100): a neuron sums b + w0·x0 + w1·x1 + … left to right; backward()
// adds contributions in reverse creation order, so every parameter's grad starts with the L2 term's two
// contributions (p·α, twice) and then receives one per sample, the last sample first, and an activation's
// grad receives one per neuron of the layer above, the last neuron first.

const N = 100; // samples
const H = 16; // hidden width
const ALPHA = 1e-4;
// biome-ignore lint/complexity/useMathMinMax: the engine's relu, exactly (-0 stays -0)
const relu = (m) => (m < 0 ? 0 : m);

/**
 * A trainer over `initial` (the 337 parameters in micrograd's order: per layer, per neuron, weights then
 * bias) on points X (100 pairs) with labels y (±1). `train(steps)` runs full-batch SGD steps from the
 * initial parameters with the demo's schedule and returns the losses (reset each call, so a warm process
 * can time the same 100 steps again).
 */
/** Copies micrograd's parameter list (per neuron, weights then bias) into the per-layer arrays. */
export function loadParameters(initial, [w1, b1, w2, b2, w3, b3]) {
  let p = 0;
  for (let j = 0; j < H; j++) {
    w1[2 * j] = initial[p++];
    w1[2 * j + 1] = initial[p++];
    b1[j] = initial[p++];
  }
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < H; i++) w2[H * j + i] = initial[p++];
    b2[j] = initial[p++];
  }
  for (let i = 0; i < H; i++) w3[i] = initial[p++];
  b3[0] = initial[p];
}

export function handwrittenTrainer(initial, X, y) {
  if (initial.length !== 337 || X.length !== N) throw new Error("the demo's shapes only");
  const w1 = new Float64Array(H * 2); // layer 1: neuron j's weights at 2j, 2j+1
  const b1 = new Float64Array(H);
  const w2 = new Float64Array(H * H); // layer 2: neuron j's weights at 16j … 16j+15
  const b2 = new Float64Array(H);
  const w3 = new Float64Array(H); // layer 3: one linear neuron
  const b3 = new Float64Array(1);
  const gw1 = new Float64Array(H * 2);
  const gb1 = new Float64Array(H);
  const gw2 = new Float64Array(H * H);
  const gb2 = new Float64Array(H);
  const gw3 = new Float64Array(H);
  const gb3 = new Float64Array(1);
  const x = new Float64Array(N * 2);
  const labels = new Float64Array(N);
  for (let s = 0; s < N; s++) {
    x[2 * s] = X[s][0];
    x[2 * s + 1] = X[s][1];
    labels[s] = y[s];
  }
  const h1 = new Float64Array(N * H); // ReLU outputs, per sample
  const h2 = new Float64Array(N * H);
  const score = new Float64Array(N);
  const gh1 = new Float64Array(H); // one sample's activation grads
  const gh2 = new Float64Array(H);
  const arrays = [w1, b1, w2, b2, w3, b3];
  const grads = [gw1, gb1, gw2, gb2, gw3, gb3];

  const load = () => loadParameters(initial, arrays);

  function forward() {
    for (let s = 0; s < N; s++) {
      const x0 = x[2 * s];
      const x1 = x[2 * s + 1];
      const o1 = H * s;
      for (let j = 0; j < H; j++) {
        let a = b1[j];
        a = a + w1[2 * j] * x0;
        a = a + w1[2 * j + 1] * x1;
        // biome-ignore lint/complexity/useMathMinMax: the engine's relu, exactly (-0 stays -0)
        h1[o1 + j] = a < 0 ? 0 : a;
      }
      for (let j = 0; j < H; j++) {
        const o = H * j;
        let a = b2[j];
        for (let i = 0; i < H; i++) a = a + w2[o + i] * h1[o1 + i];
        // biome-ignore lint/complexity/useMathMinMax: as above
        h2[o1 + j] = a < 0 ? 0 : a;
      }
      let a = b3[0];
      for (let i = 0; i < H; i++) a = a + w3[i] * h2[o1 + i];
      score[s] = a;
    }
    // loss = (Σ relu(score·−y + 1)) · (1/n) + (Σ p·p) · α, each sum left to right from its first term
    let data = relu(score[0] * -labels[0] + 1);
    for (let s = 1; s < N; s++) data = data + relu(score[s] * -labels[s] + 1);
    // Σ p·p in micrograd's order of parameters: per neuron, weights then bias
    let reg = w1[0] * w1[0];
    reg = reg + w1[1] * w1[1];
    reg = reg + b1[0] * b1[0];
    for (let j = 1; j < H; j++) {
      reg = reg + w1[2 * j] * w1[2 * j];
      reg = reg + w1[2 * j + 1] * w1[2 * j + 1];
      reg = reg + b1[j] * b1[j];
    }
    for (let j = 0; j < H; j++) {
      for (let i = H * j; i < H * j + H; i++) reg = reg + w2[i] * w2[i];
      reg = reg + b2[j] * b2[j];
    }
    for (let i = 0; i < H; i++) reg = reg + w3[i] * w3[i];
    reg = reg + b3[0] * b3[0];
    return data * (1.0 / N) + reg * ALPHA;
  }

  function backward() {
    // The L2 term first (its nodes are the newest): each p·p passes p·α to p twice.
    for (let a = 0; a < arrays.length; a++) {
      const p = arrays[a];
      const g = grads[a];
      for (let i = 0; i < p.length; i++) {
        const d = p[i] * ALPHA;
        g[i] = 0 + d + d;
      }
    }
    const dScore = 1.0 / N;
    for (let s = N - 1; s >= 0; s--) {
      if (!(score[s] * -labels[s] + 1 > 0)) continue; // the margin's ReLU is off: nothing flows back
      const g3 = -labels[s] * dScore;
      const o1 = H * s;
      gb3[0] += g3;
      for (let i = H - 1; i >= 0; i--) {
        gw3[i] += h2[o1 + i] * g3;
        gh2[i] = w3[i] * g3;
      }
      gh1.fill(0);
      for (let j = H - 1; j >= 0; j--) {
        if (!(h2[o1 + j] > 0)) continue;
        const g = gh2[j];
        const o = H * j;
        gb2[j] += g;
        for (let i = H - 1; i >= 0; i--) {
          gw2[o + i] += h1[o1 + i] * g;
          gh1[i] += w2[o + i] * g;
        }
      }
      const x0 = x[2 * s];
      const x1 = x[2 * s + 1];
      for (let j = H - 1; j >= 0; j--) {
        if (!(h1[o1 + j] > 0)) continue;
        const g = gh1[j];
        gb1[j] += g;
        gw1[2 * j + 1] += x1 * g;
        gw1[2 * j] += x0 * g;
      }
    }
  }

  function update(k) {
    const lr = 1.0 - (0.9 * k) / 100;
    for (let a = 0; a < arrays.length; a++) {
      const p = arrays[a];
      const g = grads[a];
      for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * g[i];
    }
  }

  return {
    train(steps) {
      load();
      const losses = new Float64Array(steps);
      for (let k = 0; k < steps; k++) {
        losses[k] = forward();
        backward();
        update(k);
      }
      return losses;
    },
    /** The parameters now, in micrograd's order. */
    parameters() {
      const out = [];
      for (let j = 0; j < H; j++) out.push(w1[2 * j], w1[2 * j + 1], b1[j]);
      for (let j = 0; j < H; j++) out.push(...w2.subarray(H * j, H * j + H), b2[j]);
      out.push(...w3, b3[0]);
      return out;
    },
  };
}
