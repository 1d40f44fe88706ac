// Seeded randomness for a pure core.
// - hashUniform / hashNormal derive a number from (seed, keys) alone: there is no generator
//   state, so a crashed and restarted process draws exactly the same numbers for the same
//   (seed, vault, event) keys. Two independent 32-bit murmur3-style lanes over the key bytes,
//   each finished with the murmur3 fmix32 avalanche, give 53 bits per draw.
// - createPrng is a small stateful sfc32 generator for tight Monte Carlo loops.

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One murmur3 body round: mix the 32-bit word k into h. */
function mixWord(h: number, k: number, c1: number, c2: number): number {
  k = Math.imul(k, c1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, c2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

// Scratch buffer to read a float64's two 32-bit words (exact for any number, -0 and NaN aside).
// Word order is the platform's: every Node platform in use is little-endian.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Two 32-bit hashes of (seed, keys). Keys are tagged by type so 1 and '1' differ. */
function hash2(seed: number, keys: readonly (string | number)[]): [number, number] {
  f64[0] = seed;
  let a = mixWord(0x9e3779b9, u32[0]!, 0xcc9e2d51, 0x1b873593);
  a = mixWord(a, u32[1]!, 0xcc9e2d51, 0x1b873593);
  let b = mixWord(0x85ebca77, u32[1]!, 0x239b961b, 0xab0e9789);
  b = mixWord(b, u32[0]!, 0x239b961b, 0xab0e9789);
  let len = 2;
  for (const key of keys) {
    if (typeof key === 'number') {
      f64[0] = key === 0 ? 0 : key; // -0 and 0 hash alike
      const lo = u32[0]!;
      const hi = u32[1]!;
      a = mixWord(mixWord(mixWord(a, 0x4e554d00, 0xcc9e2d51, 0x1b873593), lo, 0xcc9e2d51, 0x1b873593), hi, 0xcc9e2d51, 0x1b873593);
      b = mixWord(mixWord(mixWord(b, 0x4e554d00, 0x239b961b, 0xab0e9789), hi, 0x239b961b, 0xab0e9789), lo, 0x239b961b, 0xab0e9789);
      len += 3;
    } else {
      a = mixWord(a, 0x53545200 ^ key.length, 0xcc9e2d51, 0x1b873593);
      b = mixWord(b, 0x53545200 ^ key.length, 0x239b961b, 0xab0e9789);
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        a = mixWord(a, c, 0xcc9e2d51, 0x1b873593);
        b = mixWord(b, c ^ 0x5bd1e995, 0x239b961b, 0xab0e9789);
      }
      len += 1 + key.length;
    }
  }
  return [fmix32(a ^ len), fmix32(b ^ Math.imul(len, 0x27d4eb2d))];
}

/** Uniform in [0, 1) with 53 random bits, a pure function of (seed, keys). */
export function hashUniform(seed: number, ...keys: (string | number)[]): number {
  const [a, b] = hash2(seed, keys);
  return ((a >>> 5) * 67108864 + (b >>> 6)) / TWO_POW_53;
}

/** Standard normal, a pure function of (seed, keys): inverse CDF of an open-interval uniform. */
export function hashNormal(seed: number, ...keys: (string | number)[]): number {
  const [a, b] = hash2(seed, keys);
  // (k + 0.5) / 2^53 lies strictly inside (0, 1), so the inverse CDF stays finite.
  const u = ((a >>> 5) * 67108864 + (b >>> 6) + 0.5) / TWO_POW_53;
  return inverseNormalCdf(u);
}

/**
 * Inverse standard normal CDF (Acklam's rational approximation, |relative error| < 1.2e-9,
 * plenty for simulation). u must lie in (0, 1).
 */
export function inverseNormalCdf(u: number): number {
  if (!(u > 0 && u < 1)) throw new RangeError(`inverseNormalCdf: u must be in (0,1), got ${u}`);
  const pLow = 0.02425;
  if (u < pLow) {
    const q = Math.sqrt(-2 * Math.log(u));
    return (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783)
      / ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
  }
  if (u > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - u));
    return -(((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783)
      / ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
  }
  const q = u - 0.5;
  const r = q * q;
  return (((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r - 3.066479806614716e1) * r + 2.506628277459239) * q
    / (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1);
}

/**
 * Poisson(lambda) sample from one uniform u in [0, 1) by inversion, so a keyed uniform gives a
 * keyed count. Exact sequential search for lambda <= 500 (O(lambda) work); above that the
 * normal approximation with continuity correction (error O(lambda^-1/2), irrelevant for
 * simulated arrival counts of that size).
 */
export function poisson(lambda: number, u: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`poisson: bad lambda ${lambda}`);
  if (!(u >= 0 && u < 1)) throw new RangeError(`poisson: u must be in [0,1), got ${u}`);
  if (lambda === 0) return 0;
  if (lambda > 500) {
    const z = inverseNormalCdf(Math.min(Math.max(u, 1e-300), 1 - 1e-16));
    // Smallest k with Phi((k + 0.5 - lambda) / sqrt(lambda)) > u.
    return Math.max(0, Math.floor(lambda + Math.sqrt(lambda) * z + 0.5));
  }
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  // Stop when the pmf has underflowed to nothing more to add (guards u ~ 1 - 2^-53).
  while (u >= cdf && p > 0) {
    k += 1;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** A small fast stateful generator (sfc32) for Monte Carlo loops. */
export interface Prng {
  /** Uniform in [0, 1), 32 random bits. */
  next(): number;
  /** Standard normal (Marsaglia polar method; pairs cached). */
  normal(): number;
}

/** sfc32 seeded from any number (splitmix32 expands it to the 128-bit state). */
export function createPrng(seed: number): Prng {
  f64[0] = seed;
  let s = (u32[0]! ^ Math.imul(u32[1]!, 0x9e3779b9)) >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = 1;
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextU32(); // warm up: decorrelate nearby seeds
  let spare = 0;
  let hasSpare = false;
  return {
    next: () => nextU32() / TWO_POW_32,
    normal: () => {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      let x = 0;
      let y = 0;
      let r2 = 0;
      do {
        x = 2 * (nextU32() / TWO_POW_32) - 1;
        y = 2 * (nextU32() / TWO_POW_32) - 1;
        r2 = x * x + y * y;
      } while (r2 >= 1 || r2 === 0);
      const f = Math.sqrt((-2 * Math.log(r2)) / r2);
      spare = y * f;
      hasSpare = true;
      return x * f;
    },
  };
}
