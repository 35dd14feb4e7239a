/**
 * A seeded generator that reproduces CPython's `random` module bit for bit for `seed(int)`, `random()`
 * and `uniform(a, b)`: the Mersenne Twister MT19937, seeded the way CPython seeds it. With it,
 * `seed(1337); new MLP(2, [16, 16, 1])` draws the very weights micrograd's demo draws.
 */
import { checkArray, checkFinite, describe } from "./internal/check";

const N = 624;
const M = 397;

export class Random {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private nextGauss: number | null = null;

  constructor(seedValue: number | bigint = 0) {
    this.seed(seedValue);
  }

  /** Python's `random.seed(n)` for an integer n (its absolute value, split into 32-bit words). */
  seed(n: number | bigint): void {
    this.initByArray(seedWords(n));
    this.nextGauss = null;
  }

  /** A float in [0, 1) with 53 random bits, exactly as CPython's `random()`. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Python's `uniform(a, b)`: a + (b − a)·random(). */
  uniform(a: number, b: number): number {
    checkFinite(a, "uniform", "a");
    checkFinite(b, "uniform", "b");
    if (!Number.isFinite(b - a)) throw new RangeError(`uniform: b - a (${b} - ${a}) overflows; use a narrower range`);
    return a + (b - a) * this.random();
  }

  /**
   * Python's `gauss(mu, sigma)` algorithm (Box–Muller with the second value kept for the next call).
   * The sequence follows Python's; the last bit can differ where V8's and C's cos/log differ.
   */
  gauss(mu = 0, sigma = 1): number {
    checkFinite(mu, "gauss", "mu");
    checkFinite(sigma, "gauss", "sigma");
    // |z| < 9 always (53-bit uniforms), so this bound keeps mu + z·sigma finite.
    if (!Number.isFinite(Math.abs(mu) + 9 * Math.abs(sigma))) {
      throw new RangeError(`gauss: mu = ${mu} and sigma = ${sigma} are too large; mu + z·sigma could overflow`);
    }
    let z = this.nextGauss;
    this.nextGauss = null;
    if (z === null) {
      const x2pi = this.random() * (2 * Math.PI);
      const g2rad = Math.sqrt(-2 * Math.log(1 - this.random()));
      z = Math.cos(x2pi) * g2rad;
      this.nextGauss = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  /** Python's `shuffle` (Fisher–Yates from the end, indices from `_randbelow`), in place. */
  shuffle<T>(items: T[]): T[] {
    checkArray(items, "shuffle", "items", "an array");
    if (items.length > 2 ** 32) throw new RangeError(`shuffle expects at most 2^32 items, got ${items.length}`);
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randBelow(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** Python's `_randbelow_with_getrandbits`: rejection sampling on k = bit_length(n) bits. */
  private randBelow(n: number): number {
    const k = 32 - Math.clz32(n); // n < 2^32 here
    let r = this.nextUint32() >>> (32 - k);
    while (r >= n) r = this.nextUint32() >>> (32 - k);
    return r;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = Math.imul(1812433253, prev) + i;
    }
    this.index = N;
  }

  private initByArray(key: Uint32Array): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = ((mt[i] as number) ^ Math.imul(prev, 1664525)) + (key[j] as number) + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = ((mt[i] as number) ^ Math.imul(prev, 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = ((mt[i] as number) & 0x80000000) | ((mt[(i + 1) % N] as number) & 0x7fffffff);
      mt[i] = (mt[(i + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

/** The 32-bit little-endian words of |n|, as CPython's random_seed builds its key (at least one word). */
function seedWords(n: number | bigint): Uint32Array {
  if (typeof n === "number") {
    if (!Number.isSafeInteger(n)) {
      throw new TypeError(`seed expects an integer (number or bigint), got ${describe(n)}`);
    }
    n = BigInt(n);
  } else if (typeof n !== "bigint") {
    throw new TypeError(`seed expects an integer (number or bigint), got ${describe(n)}`);
  }
  let rest = n < 0n ? -n : n;
  const words: number[] = [];
  do {
    words.push(Number(rest & 0xffffffffn));
    rest >>= 32n;
  } while (rest > 0n);
  return Uint32Array.from(words);
}

/** The generator behind `seed()` and the weights of new neurons, like Python's module-level `random`. */
export const globalRandom = new Random(0);

/** Python's `random.seed(n)` on the global generator. */
export function seed(n: number | bigint): void {
  globalRandom.seed(n);
}
