// Sample standard deviation (n - 1 denominator, Welford's update for stability); 0 below two values.
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  let mean = 0;
  let m2 = 0;
  let n = 0;
  for (const x of xs) {
    n += 1;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  return Math.sqrt(Math.max(0, m2) / (n - 1));
}
