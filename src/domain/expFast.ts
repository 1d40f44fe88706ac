// exp(x) inlined into hot loops. V8 compiles Math.exp to a call into its C library, which
// spills every live double register around the call; in the greeks kernel that call sat on
// the critical path. This is Tang's table method: x = (64k + j) ln2/64 + r, |r| <= ln2/128,
// exp(x) = 2^k * 2^(j/64) * p(r) with p the degree-5 Taylor polynomial (truncation error
// r^6/720 < 4e-17). Error <= 2 ulp against a correctly rounded exp (tested), for results in
// the normal range; anything else (subnormal results, overflow, NaN, +-Infinity) goes to
// Math.exp.

/** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer. */
const ROUND_SHIFT = 6755399441055744;
const INV_LN2_64 = 64 / Math.LN2;
/** ln2/64 split as fdlibm's ln2_hi/64 (low bits zero, so n * HI is exact) + ln2_lo/64. */
const LN2_64_HI = 6.93147180369123816490e-1 / 64;
const LN2_64_LO = 1.90821492927058770002e-10 / 64;
/** Below: results are subnormal (exp(-708) = 3.3e-308); above: 2^k may overflow on its own. */
const FAST_MIN = -708;
const FAST_MAX = 709;

/** 2^(j/64), j = 0..63, each the correctly rounded double (computed to 60 digits). */
const EXP2_J64 = new Float64Array([
  1.0, 1.0108892860517005, 1.0218971486541166, 1.0330248790212284,
  1.0442737824274138, 1.0556451783605572, 1.0671404006768237, 1.0787607977571199,
  1.0905077326652577, 1.102382583307841, 1.1143867425958924, 1.1265216186082418,
  1.1387886347566916, 1.1511892299529827, 1.1637248587775775, 1.1763969916502812,
  1.189207115002721, 1.202156731452703, 1.215247359980469, 1.22848053610687,
  1.241857812073484, 1.255380757024691, 1.2690509571917332, 1.2828700160787783,
  1.2968395546510096, 1.3109612115247644, 1.3252366431597413, 1.339667524053303,
  1.3542555469368927, 1.3690024229745905, 1.383909881963832, 1.3989796725383112,
  1.4142135623730951, 1.42961333839197, 1.4451808069770467, 1.460917794180647,
  1.4768261459394993, 1.4929077282912648, 1.5091644275934228, 1.5255981507445384,
  1.5422108254079407, 1.559004400237837, 1.5759808451078865, 1.593142151342267,
  1.6104903319492543, 1.6280274218573478, 1.645755478153965, 1.6636765803267364,
  1.681792830507429, 1.7001063537185235, 1.718619298122478, 1.7373338352737062,
  1.7562521603732995, 1.7753764925265212, 1.7947090750031072, 1.8142521755003989,
  1.8340080864093424, 1.8539791250833855, 1.8741676341103, 1.8945759815869656,
  1.9152065613971474, 1.9360617934922943, 1.9571441241754002, 1.978456026387951,
]);

/** 2^k for k = -1022..1023 at index k + 1022, built by exact halving/doubling. */
const POW2_OFFSET = 1022;
const POW2 = new Float64Array(2046);
POW2[POW2_OFFSET] = 1;
for (let k = 1; k <= 1023; k++) POW2[POW2_OFFSET + k] = (POW2[POW2_OFFSET + k - 1] as number) * 2;
for (let k = 1; k <= 1022; k++) POW2[POW2_OFFSET - k] = (POW2[POW2_OFFSET - k + 1] as number) / 2;

/** e^x to within 2 ulp; the same as Math.exp outside [-708, 709] and for NaN. */
export function expFast(x: number): number {
  if (!(x >= FAST_MIN && x <= FAST_MAX)) return Math.exp(x);
  const n = x * INV_LN2_64 + ROUND_SHIFT - ROUND_SHIFT; // nearest integer to x*64/ln2, |n| < 2^17
  const r = x - n * LN2_64_HI - n * LN2_64_LO;
  const ni = n | 0;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  // ni >> 6 floors and ni & 63 is in 0..63 for negative ni too (two's complement).
  return (EXP2_J64[ni & 63] as number) * p * (POW2[(ni >> 6) + POW2_OFFSET] as number);
}
