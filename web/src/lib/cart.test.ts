import { describe, expect, it } from "vitest";
import { addItem, cartIsValid, cartTotal, emptyCart, isMeasuredUnit, parseCart, removeLine, setQuantity } from "./cart.ts";

const rice = { id: 1, name: "Rice", unit: "kg", unitPrice: "160.00" };
const soap = { id: 2, name: "Soap", unit: "piece", unitPrice: "45.50" };

describe("cart", () => {
  it("adds items, merging repeats", () => {
    let cart = addItem(emptyCart(), rice);
    cart = addItem(cart, soap);
    cart = addItem(cart, soap);
    expect(cart.lines.map((l) => [l.name, l.quantity])).toEqual([["Rice", "1"], ["Soap", "2"]]);
  });

  it("totals with decimal arithmetic", () => {
    let cart = addItem(addItem(emptyCart(), rice), soap);
    cart = setQuantity(cart, 1, "1.5");
    expect(cartTotal(cart)).toBe("285.50"); // 240.00 + 45.50
    cart = setQuantity(cart, 2, "0.333");
    expect(cartTotal(cart)).toBe("255.15"); // 240.00 + round(15.1515) = 15.15
  });

  it("is invalid while a quantity is not a positive number with ≤ 3 decimals", () => {
    const cart = addItem(emptyCart(), rice);
    expect(cartIsValid(cart)).toBe(true);
    expect(cartIsValid(setQuantity(cart, 1, "0"))).toBe(false);
    expect(cartIsValid(setQuantity(cart, 1, "1.2345"))).toBe(false);
    expect(cartIsValid(removeLine(cart, 1))).toBe(false);
  });

  it("round-trips through storage with its idempotency key", () => {
    const cart = setQuantity(addItem(emptyCart(), rice), 1, "2.25");
    const back = parseCart(JSON.stringify(cart));
    expect(back).toEqual(cart);
    expect(parseCart("not json").lines).toEqual([]);
    expect(parseCart(JSON.stringify({ lines: [{ itemId: "x" }] })).lines).toEqual([]);
  });

  it("knows which units are weighed or measured", () => {
    expect(isMeasuredUnit("kg")).toBe(true);
    expect(isMeasuredUnit("Liter")).toBe(true);
    expect(isMeasuredUnit("piece")).toBe(false);
  });
});
