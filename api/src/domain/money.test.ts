import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.ts";
import { Decimal, PRICE, QUANTITY, lineTotal, parseDecimal } from "./money.ts";

const bad = (value: unknown, rule = QUANTITY) => {
  try {
    parseDecimal(value, ["q"], rule);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fieldErrors[0]!.code;
  }
  throw new Error(`accepted ${String(value)}`);
};

describe("decimal parsing", () => {
  it("keeps exact decimal values from strings and JSON numbers", () => {
    expect(parseDecimal("1.5", ["q"], QUANTITY).toFixed(3)).toBe("1.500");
    expect(parseDecimal(0.335, ["q"], QUANTITY).toFixed(3)).toBe("0.335");
    expect(parseDecimal(" 160 ", ["p"], PRICE).toFixed(2)).toBe("160.00");
  });

  it("rejects everything that is not a plain decimal within the column's range", () => {
    expect(bad("1e3")).toBe("INVALID_NUMBER");
    expect(bad("0x10")).toBe("INVALID_NUMBER");
    expect(bad("NaN")).toBe("INVALID_NUMBER");
    expect(bad("Infinity")).toBe("INVALID_NUMBER");
    expect(bad(Number.POSITIVE_INFINITY)).toBe("INVALID_NUMBER");
    expect(bad(Number.NaN)).toBe("INVALID_NUMBER");
    expect(bad("")).toBe("INVALID_NUMBER");
    expect(bad(true)).toBe("INVALID_NUMBER");
    expect(bad(null)).toBe("REQUIRED");
    expect(bad("0")).toBe("NOT_POSITIVE");
    expect(bad("-1")).toBe("NOT_POSITIVE");
    expect(bad("1.0001")).toBe("TOO_MANY_DECIMALS");
    expect(bad("1000000000")).toBe("TOO_LARGE");
    expect(bad("9".repeat(5000))).toBe("TOO_LARGE");
    expect(bad("12.345", PRICE)).toBe("TOO_MANY_DECIMALS");
    expect(bad("-0.01", PRICE)).toBe("NEGATIVE");
  });

  it("rounds line totals half-up to cents", () => {
    expect(lineTotal(new Decimal("160.00"), new Decimal("1.5")).toFixed(2)).toBe("240.00");
    // 3 × 0.335 kg at 10.00 = 3.35 exactly; 0.335 × 10.01 = 3.35335 → 3.35; 0.125 × 1.00 → 0.13 (half-up)
    expect(lineTotal(new Decimal("10.00"), new Decimal("0.335")).mul(3).toFixed(2)).toBe("10.05");
    expect(lineTotal(new Decimal("10.01"), new Decimal("0.335")).toFixed(2)).toBe("3.35");
    expect(lineTotal(new Decimal("1.00"), new Decimal("0.125")).toFixed(2)).toBe("0.13");
    expect(lineTotal(new Decimal("0.10"), new Decimal("0.005")).toFixed(2)).toBe("0.00");
    expect(lineTotal(new Decimal("0.30"), new Decimal("0.05")).toFixed(2)).toBe("0.02"); // 0.015 → 0.02
  });
});
