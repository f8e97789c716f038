// The totals module over random bills (fast-check) and over the peers' known
// failures as fixed cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.ts";
import {
  CASH_ROUNDING,
  D,
  allocate,
  computeBill,
  computeRefund,
  computeTotals,
  refundLineShare,
  roundToIncrement,
  settle,
  splitRefund,
  type Discount,
  type PaymentInput,
  type TotalsInput,
  type TotalsLineInput,
  type TotalsSettings,
} from "./totals.ts";
import { PaymentExceedsDueError, PaymentNotNeededError, PaymentShortError } from "./totals-errors.ts";

const money = (max = 999_999) => fc.integer({ min: 0, max }).map((c) => new D(c).div(100).toFixed(2));
const qty = fc.integer({ min: 1, max: 50_000 }).map((m) => new D(m).div(1000).toFixed(3));
const pct = fc.integer({ min: 0, max: 100_000 }).map((m) => new D(m).div(1000).toString()); // 0–100, 3 places
const RATES = [
  { id: 1, name: "GST 17%", percent: "17" },
  { id: 2, name: "Reduced 5.5%", percent: "5.5" },
  { id: 3, name: "Zero", percent: "0" },
  { id: 4, name: "Odd 12.345%", percent: "12.345" },
];
const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  pct.map((value) => ({ kind: "PERCENT" as const, value })),
  money(5000).map((value) => ({ kind: "AMOUNT" as const, value })),
);
const line: fc.Arbitrary<TotalsLineInput> = fc.record({
  unitPrice: money(),
  quantity: qty,
  taxRate: fc.option(fc.constantFrom(...RATES), { nil: null }),
  discount,
});
const settings: fc.Arbitrary<TotalsSettings> = fc.record({
  pricesIncludeTax: fc.boolean(),
  taxRounding: fc.constantFrom("PER_LINE" as const, "PER_BILL_PER_RATE" as const),
  cashRounding: fc.constantFrom(...CASH_ROUNDING),
});
const bill: fc.Arbitrary<TotalsInput> = fc.record({ lines: fc.array(line, { minLength: 1, maxLength: 8 }), billDiscount: discount, settings });

/** Computes, or returns null when the random discounts exceed what they apply to (a refusal tested separately). */
function totalsOrNull(input: TotalsInput) {
  try {
    return computeTotals(input);
  } catch (err) {
    if (err instanceof ValidationError && err.fieldErrors[0]?.code === "DISCOUNT_TOO_LARGE") return null;
    throw err;
  }
}
const sum = (xs: D[]) => xs.reduce((a, b) => a.add(b), new D(0));
const isCents = (x: D) => x.decimalPlaces() <= 2;

describe("computeTotals (random bills)", () => {
  it("lines sum to the subtotal and the total; every amount is whole cents and no line goes negative", () => {
    fc.assert(
      fc.property(bill, (input) => {
        const t = totalsOrNull(input);
        if (!t) return;
        expect(sum(t.lines.map((l) => l.amount)).eq(t.subtotal)).toBe(true);
        expect(sum(t.lines.map((l) => l.total)).eq(t.total)).toBe(true);
        expect(t.discountTotal.eq(t.lineDiscountTotal.add(t.billDiscount))).toBe(true);
        const expectedTotal = t.subtotal.sub(t.discountTotal).add(input.settings.pricesIncludeTax ? 0 : t.taxTotal);
        expect(t.total.eq(expectedTotal)).toBe(true);
        for (const l of t.lines) {
          for (const v of [l.amount, l.lineDiscount, l.billDiscountShare, l.taxableBase, l.tax, l.total]) {
            expect(isCents(v)).toBe(true);
            expect(v.isNegative() && !v.isZero()).toBe(false);
          }
          expect(l.lineDiscount.add(l.billDiscountShare).lte(l.amount)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("the bill discount's allocations sum to it exactly, in proportion to the lines within a cent", () => {
    fc.assert(
      fc.property(bill, (input) => {
        const t = totalsOrNull(input);
        if (!t) return;
        expect(sum(t.lines.map((l) => l.billDiscountShare)).eq(t.billDiscount)).toBe(true);
        const nets = t.lines.map((l) => l.amount.sub(l.lineDiscount));
        const netSum = sum(nets);
        t.lines.forEach((l, i) => {
          if (netSum.isZero()) return expect(l.billDiscountShare.isZero()).toBe(true);
          const exact = t.billDiscount.mul(nets[i]!).div(netSum);
          expect(l.billDiscountShare.sub(exact).abs().lt("0.01")).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("the tax breakdown sums to the tax total, and each rate's base and tax to its lines'", () => {
    fc.assert(
      fc.property(bill, (input) => {
        const t = totalsOrNull(input);
        if (!t) return;
        expect(sum(t.taxBreakdown.map((b) => b.tax)).eq(t.taxTotal)).toBe(true);
        for (const b of t.taxBreakdown) {
          const idx = input.lines.map((l, i) => (l.taxRate?.id === b.rateId ? i : -1)).filter((i) => i >= 0);
          expect(sum(idx.map((i) => t.lines[i]!.tax)).eq(b.tax)).toBe(true);
          expect(sum(idx.map((i) => t.lines[i]!.taxableBase)).eq(b.taxableBase)).toBe(true);
        }
        input.lines.forEach((l, i) => {
          if (!l.taxRate) expect(t.lines[i]!.tax.isZero()).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("exclusive and inclusive pricing agree with their definitions under each rounding policy", () => {
    fc.assert(
      fc.property(bill, (input) => {
        const t = totalsOrNull(input);
        if (!t) return;
        const inclusive = input.settings.pricesIncludeTax;
        t.lines.forEach((l, i) => {
          const after = l.amount.sub(l.lineDiscount).sub(l.billDiscountShare);
          // Exclusive: tax is added on top of the discounted amount; inclusive: it is inside it.
          if (inclusive) expect(l.total.eq(after) && l.taxableBase.add(l.tax).eq(after)).toBe(true);
          else expect(l.taxableBase.eq(after) && l.total.eq(after.add(l.tax))).toBe(true);
          const rate = input.lines[i]!.taxRate;
          const p = rate ? new D(rate.percent.toString()) : null;
          if (p && input.settings.taxRounding === "PER_LINE") {
            const raw = inclusive ? after.mul(p).div(p.add(100)) : after.mul(p).div(100);
            expect(l.tax.eq(raw.toDecimalPlaces(2, D.ROUND_HALF_UP))).toBe(true);
          }
        });
        if (input.settings.taxRounding === "PER_BILL_PER_RATE") {
          for (const b of t.taxBreakdown) {
            const idx = input.lines.map((l, i) => (l.taxRate?.id === b.rateId ? i : -1)).filter((i) => i >= 0);
            const after = sum(idx.map((i) => t.lines[i]!.amount.sub(t.lines[i]!.lineDiscount).sub(t.lines[i]!.billDiscountShare)));
            const raw = inclusive ? after.mul(b.percent).div(b.percent.add(100)) : after.mul(b.percent).div(100);
            expect(b.tax.eq(raw.toDecimalPlaces(2, D.ROUND_HALF_UP))).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("the same bill priced inclusive of tax charges what exclusive pricing shows as base + tax", () => {
    // An inclusive price P at rate r holds tax P·r/(100+r): pricing the exclusive bill's
    // line totals inclusively gives back its bases within a cent per line.
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const plain = lines.map((l) => ({ ...l, discount: null }));
        const excl = computeTotals({ lines: plain, settings: { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00" } });
        const incl = computeTotals({
          lines: plain.map((l, i) => ({ ...l, unitPrice: excl.lines[i]!.total.toFixed(2), quantity: "1" })),
          settings: { pricesIncludeTax: true, taxRounding: "PER_LINE", cashRounding: "0.00" },
        });
        incl.lines.forEach((l, i) => expect(l.taxableBase.sub(excl.lines[i]!.taxableBase).abs().lte("0.01")).toBe(true));
      }),
      { numRuns: 200 },
    );
  });
});

describe("allocate", () => {
  it("splits exactly, never over a weight, leftover cents to the largest remainders then earlier lines", () => {
    fc.assert(
      fc.property(fc.array(money(), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 1000 }), (weights, permille) => {
        const total = sum(weights.map((w) => new D(w))).mul(permille).div(1000).toDecimalPlaces(2, D.ROUND_DOWN);
        const shares = allocate(total, weights);
        expect(sum(shares).eq(total)).toBe(true);
        shares.forEach((s, i) => expect(s.lte(weights[i]!) && s.gte(0)).toBe(true));
      }),
    );
    expect(allocate("0.10", ["1", "1", "1"]).map((s) => s.toFixed(2))).toEqual(["0.04", "0.03", "0.03"]);
  });
});

describe("settle (random payments)", () => {
  const payment: fc.Arbitrary<PaymentInput> = fc.record({ method: fc.constantFrom("CASH", "CARD", "MOBILE", "OTHER"), amount: money(50_000) });
  it("a settled bill: payments − change = the total with its cash rounding; rounding only when the last payment is cash", () => {
    fc.assert(
      fc.property(money(100_000), fc.array(payment, { maxLength: 4 }), fc.constantFrom(...CASH_ROUNDING), (totalText, payments, inc) => {
        const total = new D(totalText);
        const s = settle(total, payments, inc);
        expect(s.amountDue.eq(total.add(s.cashRounding))).toBe(true);
        const lastIsCash = payments.length === 0 || payments.at(-1)!.method === "CASH";
        if (!lastIsCash || inc === "0.00") expect(s.cashRounding.isZero()).toBe(true);
        expect(s.cashRounding.abs().lte(new D(inc).div(2))).toBe(true);
        if (s.problem) return;
        const handed = sum(s.payments.map((p) => p.tendered ?? p.amount));
        expect(handed.sub(s.change).eq(s.amountDue)).toBe(true);
        expect(s.remaining.isZero()).toBe(true);
        s.payments.forEach((p) => {
          if (p.method !== "CASH") expect(p.change.isZero()).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("no payments is cash paid exactly", () => {
    const s = settle(new D("123.45"), [], "0.00");
    expect(s.problem).toBeNull();
    expect(s.payments.map((p) => [p.method, p.amount.toFixed(2), p.tendered?.toFixed(2), p.change.toFixed(2)])).toEqual([
      ["CASH", "123.45", "123.45", "0.00"],
    ]);
  });
});

describe("peers' known failures (fixed cases)", () => {
  const exclusive: TotalsSettings = { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00" };
  const inclusive: TotalsSettings = { ...exclusive, pricesIncludeTax: true };

  it("tax-inclusive prices with a bill discount: no cent drift between lines, breakdown and total (opensourcepos#1962, odoo#6224)", () => {
    const gst = RATES[0]!;
    for (const taxRounding of ["PER_LINE", "PER_BILL_PER_RATE"] as const) {
      const t = computeTotals({
        lines: [
          { unitPrice: "99.99", quantity: "3", taxRate: gst },
          { unitPrice: "0.35", quantity: "7", taxRate: gst },
          { unitPrice: "10.00", quantity: "1.333", taxRate: gst },
        ],
        billDiscount: { kind: "PERCENT", value: "7.5" },
        settings: { ...inclusive, taxRounding },
      });
      expect(t.subtotal.toFixed(2)).toBe("315.75"); // 299.97 + 2.45 + 13.33
      expect(t.billDiscount.toFixed(2)).toBe("23.68");
      expect(t.total.toFixed(2)).toBe("292.07");
      expect(sum(t.lines.map((l) => l.taxableBase.add(l.tax))).toFixed(2)).toBe("292.07");
      expect(t.taxBreakdown[0]!.tax.eq(t.taxTotal)).toBe(true);
    }
  });

  it("mixed rates on one bill: one breakdown entry per rate", () => {
    const t = computeTotals({
      lines: [
        { unitPrice: "100.00", quantity: "1", taxRate: RATES[0] },
        { unitPrice: "50.00", quantity: "2", taxRate: RATES[1] },
        { unitPrice: "20.00", quantity: "1", taxRate: RATES[2] },
        { unitPrice: "10.00", quantity: "1", taxRate: RATES[0] },
      ],
      settings: exclusive,
    });
    expect(t.taxBreakdown.map((b) => [b.name, b.taxableBase.toFixed(2), b.tax.toFixed(2)])).toEqual([
      ["GST 17%", "110.00", "18.70"],
      ["Reduced 5.5%", "100.00", "5.50"],
      ["Zero", "20.00", "0.00"],
    ]);
    expect(t.total.toFixed(2)).toBe("254.20");
  });

  it("split cash + card is accepted; cash over what is left is change (POS-Awesome-V15#3142)", () => {
    const b = computeBill({
      lines: [{ unitPrice: "1250.00", quantity: "1" }],
      settings: exclusive,
      payments: [
        { method: "CARD", amount: "1000.00" },
        { method: "CASH", amount: "500" },
      ],
    });
    expect(b.settlement.payments.map((p) => [p.method, p.amount.toFixed(2), p.change.toFixed(2)])).toEqual([
      ["CARD", "1000.00", "0.00"],
      ["CASH", "250.00", "250.00"],
    ]);
    expect(b.settlement.change.toFixed(2)).toBe("250.00");
  });

  it("a card payment over what is due is refused, never silently capped (FloCafe#214)", () => {
    const run = () =>
      computeBill({ lines: [{ unitPrice: "100.00", quantity: "1" }], settings: exclusive, payments: [{ method: "CARD", amount: "120.00" }] });
    expect(run).toThrow(PaymentExceedsDueError);
    expect(run).toThrow("Payment 1 (card) is 120.00 but only 100.00 is still due");
    const short = () => computeBill({ lines: [{ unitPrice: "100.00", quantity: "1" }], settings: exclusive, payments: [{ method: "CARD", amount: "60.00" }] });
    expect(short).toThrow(PaymentShortError);
    const extra = () =>
      computeBill({
        lines: [{ unitPrice: "100.00", quantity: "1" }],
        settings: exclusive,
        payments: [
          { method: "CASH", amount: "150" },
          { method: "CARD", amount: "1" },
        ],
      });
    expect(extra).toThrow(PaymentNotNeededError);
  });

  it("cash rounding applies only when the last payment is cash, to the part paid in cash (odoo#65043, erpnext#51288)", () => {
    const settingsR = { ...exclusive, cashRounding: "0.05" };
    const lines = [{ unitPrice: "10.03", quantity: "1" }];
    const cash = computeBill({ lines, settings: settingsR, payments: [{ method: "CASH", amount: "20" }] });
    expect([cash.settlement.cashRounding.toFixed(2), cash.settlement.amountDue.toFixed(2), cash.settlement.change.toFixed(2)]).toEqual(["0.02", "10.05", "9.95"]);
    const card = computeBill({ lines, settings: settingsR, payments: [{ method: "CARD", amount: "10.03" }] });
    expect([card.settlement.cashRounding.toFixed(2), card.settlement.amountDue.toFixed(2), card.settlement.remaining.toFixed(2)]).toEqual(["0.00", "10.03", "0.00"]);
    const split = computeBill({
      lines,
      settings: settingsR,
      payments: [
        { method: "CARD", amount: "5.00" },
        { method: "CASH", amount: "5.05" },
      ],
    });
    expect([split.settlement.cashRounding.toFixed(2), split.settlement.amountDue.toFixed(2), split.settlement.remaining.toFixed(2)]).toEqual(["0.02", "10.05", "0.00"]);
    expect(roundToIncrement(new D("10.025"), "0.05").toFixed(2)).toBe("10.05");
  });

  it("a discount is never a negative line", () => {
    const over = () => computeTotals({ lines: [{ unitPrice: "10.00", quantity: "1", discount: { kind: "AMOUNT", value: "10.01" } }], settings: exclusive });
    expect(over).toThrow("lines.0.discount: is 10.01, more than the 10.00 it applies to");
    const bill = () => computeTotals({ lines: [{ unitPrice: "10.00", quantity: "1" }], billDiscount: { kind: "AMOUNT", value: "11" }, settings: exclusive });
    expect(bill).toThrow("billDiscount: is 11.00");
    const all = computeTotals({ lines: [{ unitPrice: "10.00", quantity: "1" }], billDiscount: { kind: "PERCENT", value: "100" }, settings: exclusive });
    expect(all.total.toFixed(2)).toBe("0.00");
  });
});

describe("refunds of returned units", () => {
  it("per unit from what the line charged, rounded on the running total; the last unit takes what is left", () => {
    // 3 units charged 100.00 (tax 14.53, discounts 10.00): 33.33, 33.33, then 33.34.
    const line = { quantity: "3", chargedTotal: "100.00", taxAmount: "14.53", discount: "10.00" };
    const shares = [0, 1, 2].map((k) => refundLineShare({ ...line, returnedBefore: k, returning: 1 }));
    expect(shares.map((s) => [s.refund.toFixed(2), s.tax.toFixed(2), s.discount.toFixed(2)])).toEqual([
      ["33.33", "4.84", "3.33"],
      ["33.34", "4.85", "3.34"],
      ["33.33", "4.84", "3.33"],
    ]);
    // Fractional quantities (kg) work the same way.
    expect(refundLineShare({ quantity: "1.5", chargedTotal: "240.00", taxAmount: "0", discount: "0", returnedBefore: "0", returning: "0.5" }).refund.toFixed(2)).toBe("80.00");
  });

  it("property: however the units come back, the line refunds exactly what it charged, never more, with tax ≤ refund", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 20 }),
        (qty, chargedCents, taxPercent, steps) => {
          const charged = new D(chargedCents).div(100);
          const tax = charged.mul(taxPercent).div(100 + taxPercent).toDecimalPlaces(2);
          let before = 0;
          let refunded = new D(0);
          let taxBack = new D(0);
          for (const step of steps) {
            const now = Math.min(step, qty - before);
            if (now <= 0) break;
            const s = refundLineShare({ quantity: qty, chargedTotal: charged, taxAmount: tax, discount: 0, returnedBefore: before, returning: now });
            expect(s.tax.lte(s.refund)).toBe(true);
            refunded = refunded.add(s.refund);
            taxBack = taxBack.add(s.tax);
            before += now;
            expect(refunded.lte(charged)).toBe(true);
          }
          if (before < qty) refunded = refunded.add(refundLineShare({ quantity: qty, chargedTotal: charged, taxAmount: tax, discount: 0, returnedBefore: before, returning: qty - before }).refund);
          expect(refunded.toFixed(2)).toBe(charged.toFixed(2));
        },
      ),
    );
  });

  it("the return that completes the bill hands back its cash rounding; partial ones never pass what is left", () => {
    const line = { quantity: "2", chargedTotal: "10.03", taxAmount: "0", discount: "0" };
    const first = computeRefund({ lines: [{ ...line, returnedBefore: 0, returning: 1 }], billTotal: "10.05", billRefunded: 0, completesBill: false });
    expect([first.total.toFixed(2), first.rounding.toFixed(2)]).toEqual(["5.02", "0.00"]);
    const last = computeRefund({ lines: [{ ...line, returnedBefore: 1, returning: 1 }], billTotal: "10.05", billRefunded: "5.02", completesBill: true });
    expect([last.total.toFixed(2), last.rounding.toFixed(2)]).toEqual(["5.03", "0.02"]);
  });

  it("refunds to the bill's own methods: non-cash first up to what each paid less earlier refunds, cash last", () => {
    const paid = [
      { method: "CASH" as const, paid: "151.15", refunded: "0" },
      { method: "CARD" as const, paid: "300.00", refunded: "160.54" },
    ];
    expect(splitRefund("290.61", paid).map((p) => [p.method, p.amount.toFixed(2)])).toEqual([["CARD", "139.46"], ["CASH", "151.15"]]);
    expect(splitRefund("100.00", paid).map((p) => [p.method, p.amount.toFixed(2)])).toEqual([["CARD", "100.00"]]);
    expect(splitRefund("0", paid)).toEqual([]);
  });
});
