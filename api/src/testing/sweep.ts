// Helpers for the bad-input sweeps (api and mcp).
import { parseDecimal, type DecimalRule } from "../domain/money.ts";

/**
 * Whether the domain refuses a value under a rule. A sweep sends only refused
 * values: an accepted one (say "0" as a price) would rightly change the database.
 */
export function refusedBy(rule: DecimalRule, value: unknown): boolean {
  try {
    parseDecimal(value, [], rule);
    return false;
  } catch {
    return true;
  }
}
