// Billing units (spec §1.10). Units are reported as strings by Kling (`final_unit_deduction`).

/** Units for a per-second rate, rounded to two decimals to avoid float noise (0.6 × 3 = 1.7999…). */
export function perSecond(rate: number, seconds: number): number {
  return Math.round(rate * seconds * 100) / 100;
}

export function formatUnits(units: number): string {
  return String(Math.round(units * 100) / 100);
}
