import { describe, expect, it } from "vitest";
import {
  addQuantity,
  compareDecimal,
  displayQuantity,
  formatFixed,
  lineTotal,
  parseFixed,
  parseSaleQuantity,
  subtractQuantity,
  sumMoney,
} from "./decimal.ts";

describe("parseFixed / formatFixed", () => {
  it("reads plain decimals without floats", () => {
    expect(parseFixed("12", 2)).toBe(1200n);
    expect(parseFixed("1.5", 3)).toBe(1500n);
    expect(parseFixed(".5", 3)).toBe(500n);
    expect(parseFixed("5.", 3)).toBe(5000n);
    expect(parseFixed(" -2.250 ", 3)).toBe(-2250n);
    expect(parseFixed("1.5000", 3)).toBe(1500n); // trailing zeros are not extra precision
    expect(parseFixed("99999999999999999999.99", 2)).toBe(9999999999999999999999n);
  });
  it("refuses what the server refuses instead of rounding it", () => {
    for (const bad of ["", " ", ".", "-", "1.2345", "1e3", "abc", "1,5", "NaN", "Infinity", "0x10", "1.2.3"]) {
      expect(parseFixed(bad, 3), bad).toBeNull();
    }
  });
  it("formats with a fixed number of places", () => {
    expect(formatFixed(1500n, 3)).toBe("1.500");
    expect(formatFixed(5n, 2)).toBe("0.05");
    expect(formatFixed(-5n, 2)).toBe("-0.05");
    expect(formatFixed(0n, 2)).toBe("0.00");
    expect(formatFixed(7n, 0)).toBe("7");
  });
});

describe("lineTotal", () => {
  it("multiplies exactly", () => {
    expect(lineTotal("12.50", "1.5")).toBe("18.75");
    expect(lineTotal("160.00", "2")).toBe("320.00");
    expect(lineTotal("0.10", "3")).toBe("0.30"); // 0.1 * 3 = 0.30000000000000004 in floats
  });
  it("rounds half-up to cents like the server", () => {
    expect(lineTotal("0.05", "0.5")).toBe("0.03"); // 0.025 → 0.03
    expect(lineTotal("0.05", "0.1")).toBe("0.01"); // 0.005 → 0.01
    expect(lineTotal("0.05", "0.09")).toBe("0.00"); // 0.0045 → 0.00
    expect(lineTotal("1.99", "0.333")).toBe("0.66"); // 0.66267
    expect(lineTotal("1.15", "0.5")).toBe("0.58"); // 0.575: floats say 0.57
    expect(lineTotal("9999999999.99", "999999999.999")).toBe("9999999999980000000.00") // …80000000.00001;
  });
  it("throws on invalid input rather than guessing", () => {
    expect(() => lineTotal("abc", "1")).toThrow(RangeError);
    expect(() => lineTotal("1.234", "1")).toThrow(RangeError);
  });
});

describe("sums and differences", () => {
  it("sums money exactly", () => {
    expect(sumMoney(["0.10", "0.20"])).toBe("0.30");
    expect(sumMoney([])).toBe("0.00");
    expect(sumMoney(["18.75", "320.00", "0.58"])).toBe("339.33");
  });
  it("adds and subtracts quantities", () => {
    expect(addQuantity("1.5", "1")).toBe("2.500");
    expect(subtractQuantity("10.000", "1.5")).toBe("8.500");
    expect(subtractQuantity("1", "1.5")).toBe("-0.500");
  });
  it("compares", () => {
    expect(compareDecimal("1.5", "1.500")).toBe(0);
    expect(compareDecimal("0.999", "1")).toBe(-1);
    expect(compareDecimal("10", "9.999")).toBe(1);
  });
});

describe("quantities as typed at the counter", () => {
  it("accepts positive quantities with up to 3 places", () => {
    expect(parseSaleQuantity("1.5")).toBe("1.500");
    expect(parseSaleQuantity("0.001")).toBe("0.001");
    expect(parseSaleQuantity("0")).toBeNull();
    expect(parseSaleQuantity("-1")).toBeNull();
    expect(parseSaleQuantity("0.0005")).toBeNull();
  });
  it("displays quantities without trailing zeros", () => {
    expect(displayQuantity("1.500")).toBe("1.5");
    expect(displayQuantity("2.000")).toBe("2");
    expect(displayQuantity("10.000")).toBe("10");
    expect(displayQuantity("0.250")).toBe("0.25");
  });
});
