// Time to expiry as the pricing models read it: ACT/365 years between unix ms instants.

export const MS_PER_YEAR = 365 * 86_400_000;

/** Years from nowMs to expiryMs, ACT/365 (negative once expired). */
export function yearsUntil(expiryMs: number, nowMs: number): number {
  return (expiryMs - nowMs) / MS_PER_YEAR;
}
