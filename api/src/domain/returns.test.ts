// Returns and voids against the real database: refunds from the stored bill
// values (discounts, tax, split payments), what is left to return, typed
// refusals that change nothing, approvals, idempotency, races, and a property
// test over random bills.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bookViolations } from "../testing/books.ts";
import { databaseChecksum } from "../testing/checksum.ts";
import { TEST_PIN, signedInStaff, useTestDatabase } from "../testing/fixtures.ts";
import { createBill, previewBill } from "./bills.ts";
import { ShiftNotOpenError } from "./drawer.ts";
import { ApprovalRequiredError, NotFoundError, ValidationError } from "./errors.ts";
import { createItem } from "./items.ts";
import { Decimal } from "./money.ts";
import {
  BillHasReturnsError,
  BillVoidedError,
  RefundPaymentsMismatchError,
  ReturnKeyReusedError,
  ReturnQuantityExceededError,
  UnknownBillLineError,
  createReturn,
  getReturn,
  refundPreview,
} from "./returns.ts";
import { salesSummary } from "./reports/sales-summary.ts";
import { updateShopSettings } from "./settings.ts";
import { createTaxRate, setItemTaxRate } from "./tax-rates.ts";
import { VoidWindowClosedError, voidBill } from "./voids.ts";

const t = useTestDatabase(20);
const defaults = { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00", cashierDiscountLimit: "100" } as const;
const uniq = () => Math.random().toString(36).slice(2, 8);

async function item(price: string, stock = "100", unit = "pcs", taxPercent?: string) {
  const it = await createItem(t.ctx(), { name: `Item ${uniq()}`, category: `Cat ${uniq()}`, unit, unitPrice: price, stockQty: stock });
  if (taxPercent) {
    const rate = await createTaxRate(t.ctx(), { name: `Tax ${uniq()}`, percent: taxPercent });
    await setItemTaxRate(t.ctx(), { itemId: it.id, taxRateId: rate.id });
  }
  return it;
}

// Failed PIN attempts are counted on the staff row by design; everything else must stay as it was.
const booksChecksum = async () => (await databaseChecksum(t.db.pool)).replace(/ staff:\S+/, "");
const stockOf = async (itemId: number) => (await t.db.pool.query<{ s: string }>("SELECT stock_qty::text AS s FROM items WHERE id = $1", [itemId])).rows[0]!.s;

/** Sugar 160/kg ×2 with 10% off, soap 45.50 ×3, 17% tax on sugar, 20.00 off the bill, paid by card and cash. */
async function discountedTaxedBill() {
  await updateShopSettings(t.ctx(), defaults);
  const sugar = await item("160", "50", "kg", "17");
  const soap = await item("45.50", "50");
  const { bill } = await createBill(t.ctx(), {
    lines: [
      { itemId: sugar.id, quantity: "2", discount: { kind: "PERCENT", value: "10" } },
      { itemId: soap.id, quantity: "3" },
    ],
    billDiscount: { kind: "AMOUNT", value: "20" },
    payments: [
      { method: "CARD", amount: "300.00", reference: "4242" },
      { method: "CASH", amount: "200" },
    ],
  });
  return { bill, sugar, soap, sugarLine: bill.lines.find((l) => l.itemId === sugar.id)!, soapLine: bill.lines.find((l) => l.itemId === soap.id)! };
}

describe("a return of a discounted, taxed bill paid by card and cash", () => {
  it("refunds per unit what was paid, restocks, records damaged goods, and the full return refunds exactly the bill", async () => {
    const { bill, sugar, soap, sugarLine, soapLine } = await discountedTaxedBill();
    // sugar charged 321.08 for 2 kg (tax 46.65, discounts 32.00 + 13.57); soap 130.07 for 3.
    expect([sugarLine.chargedTotal.toFixed(2), soapLine.chargedTotal.toFixed(2), bill.totalAmount.toFixed(2)]).toEqual(["321.08", "130.07", "451.15"]);

    const input = { billId: bill.id, reason: "customer changed mind", lines: [{ billItemId: sugarLine.id, quantity: "1" }] };
    const preview = await refundPreview(t.ctx(), input);
    expect(preview.lines[0]).toMatchObject({ sold: new Decimal(2), alreadyReturned: new Decimal(0), restock: true });
    expect([preview.refundTotal, preview.taxTotal, preview.discountTotal, preview.rounding].map((d) => d.toFixed(2))).toEqual(["160.54", "23.33", "22.79", "0.00"]);
    // Back to the card first (it paid 300.00), cash only for what the card cannot take.
    expect(preview.payments.map((p) => [p.method, p.amount.toFixed(2)])).toEqual([["CARD", "160.54"]]);
    expect(preview.approvalRequired).toBe(false);

    const first = await createReturn(t.ctx(), input);
    expect(first.billReturn.refundTotal.toFixed(2)).toBe(preview.refundTotal.toFixed(2));
    expect(await stockOf(sugar.id)).toBe("49.000");
    const move = await t.db.pool.query("SELECT reason, quantity::text, return_line_id, bill_id FROM stock_movements WHERE return_line_id = $1", [first.billReturn.lines[0]!.id]);
    expect(move.rows).toEqual([{ reason: "return", quantity: "1.000", return_line_id: first.billReturn.lines[0]!.id, bill_id: bill.id }]);

    // The rest: the last sugar unit takes the leftover cents; soap comes back damaged (no stock back).
    const rest = await createReturn(t.ctx(), {
      billId: bill.id,
      reason: "broken packets",
      lines: [
        { billItemId: sugarLine.id, quantity: "1" },
        { billItemId: soapLine.id, quantity: "3", restock: false },
      ],
    });
    expect(rest.billReturn.lines.map((l) => l.refundAmount.toFixed(2))).toEqual(["160.54", "130.07"]);
    expect(await stockOf(soap.id)).toBe("47.000");
    // Card had 139.46 left, cash takes the rest.
    expect(rest.billReturn.payments.map((p) => [p.method, p.amount.toFixed(2)])).toEqual([["CARD", "139.46"], ["CASH", "151.15"]]);
    const { rows } = await t.db.pool.query("SELECT refunded_total::text FROM bills WHERE id = $1", [bill.id]);
    expect(rows[0].refunded_total).toBe("451.15");
    expect(await bookViolations(t.db.pool)).toEqual([]);

    const again = await createReturn(t.ctx(), { ...input, reason: "again" }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ReturnQuantityExceededError);
    expect((again as ReturnQuantityExceededError).left.toFixed(3)).toBe("0.000");
  });

  it("a bill with cash rounding: the return that completes it refunds exactly what was paid", async () => {
    await updateShopSettings(t.ctx(), { ...defaults, cashRounding: "0.50" });
    const a = await item("10.13");
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: a.id, quantity: "3" }], payments: [{ method: "CASH", amount: "50" }] });
    expect([bill.totalAmount.toFixed(2), bill.cashRounding.toFixed(2)]).toEqual(["30.50", "0.11"]);
    const line = bill.lines[0]!;
    const one = await createReturn(t.ctx(), { billId: bill.id, reason: "r", lines: [{ billItemId: line.id, quantity: "2" }] });
    const two = await createReturn(t.ctx(), { billId: bill.id, reason: "r", lines: [{ billItemId: line.id, quantity: "1" }] });
    expect([one.billReturn.refundTotal.toFixed(2), two.billReturn.refundTotal.toFixed(2)]).toEqual(["20.26", "10.24"]);
    expect(await bookViolations(t.db.pool)).toEqual([]);
    await updateShopSettings(t.ctx(), defaults);
  });
});

describe("low stock", () => {
  it("restocked goods clear the low-stock alert the sale raised; damaged goods do not", async () => {
    const tea = await createItem(t.ctx(), { name: `Tea ${uniq()}`, category: "Tea", unitPrice: "10", stockQty: "8", reorderPoint: "5" });
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: tea.id, quantity: "4" }] });
    const line = bill.lines[0]!.id;
    const open = async () => (await t.db.pool.query("SELECT count(*)::int AS n FROM stock_alerts WHERE item_id = $1 AND cleared_at IS NULL", [tea.id])).rows[0].n;
    expect(await open()).toBe(1);
    await createReturn(t.ctx(), { billId: bill.id, reason: "broken", lines: [{ billItemId: line, quantity: "1", restock: false }] });
    expect([await stockOf(tea.id), await open()]).toEqual(["4.000", 1]);
    await createReturn(t.ctx(), { billId: bill.id, reason: "unopened", lines: [{ billItemId: line, quantity: "3" }] });
    expect([await stockOf(tea.id), await open()]).toEqual(["7.000", 0]);
  });
});

describe("refusals: a typed error, nothing changed", () => {
  it("unknown line, too much, a bill that does not exist, a voided bill, refund payments that do not add up, bad input", async () => {
    const { bill, sugarLine, soapLine } = await discountedTaxedBill();
    const other = await discountedTaxedBill();
    const before = await databaseChecksum(t.db.pool);
    const base = { billId: bill.id, reason: "r" };
    await expect(createReturn(t.ctx(), { ...base, lines: [{ billItemId: other.sugarLine.id, quantity: "1" }] })).rejects.toBeInstanceOf(UnknownBillLineError);
    const over = await createReturn(t.ctx(), { ...base, lines: [{ billItemId: sugarLine.id, quantity: "2.5" }, { billItemId: soapLine.id, quantity: "4" }] }).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(ReturnQuantityExceededError);
    expect((over as ReturnQuantityExceededError).lines.map((l) => [l.billItemId, l.left.toFixed(3)])).toEqual([
      [sugarLine.id, "2.000"],
      [soapLine.id, "3.000"],
    ]);
    await expect(createReturn(t.ctx(), { ...base, billId: 99999999, lines: [{ billItemId: sugarLine.id, quantity: "1" }] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(createReturn(t.ctx(), { ...base, lines: [{ billItemId: sugarLine.id, quantity: "1" }], refundPayments: [{ method: "CASH", amount: "1.00" }] })).rejects.toBeInstanceOf(RefundPaymentsMismatchError);
    const bad = await createReturn(t.ctx(), { billId: "x", reason: " ", lines: [{ billItemId: sugarLine.id, quantity: "-1" }, { billItemId: sugarLine.id, quantity: "1" }] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).fieldErrors.map((f) => f.path.join("."))).toEqual(["billId", "reason", "lines.0.quantity", "lines.1.billItemId"]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    await voidBill(t.ctx(), { billId: other.bill.id, reason: "wrong customer" });
    const voidedSum = await databaseChecksum(t.db.pool);
    await expect(createReturn(t.ctx(), { billId: other.bill.id, reason: "r", lines: [{ billItemId: other.sugarLine.id, quantity: "1" }] })).rejects.toBeInstanceOf(BillVoidedError);
    await expect(refundPreview(t.ctx(), { billId: other.bill.id, reason: "r", lines: [{ billItemId: other.sugarLine.id, quantity: "1" }] })).rejects.toBeInstanceOf(BillVoidedError);
    await expect(voidBill(t.ctx(), { billId: other.bill.id, reason: "twice" })).rejects.toBeInstanceOf(BillVoidedError);
    expect(await databaseChecksum(t.db.pool)).toBe(voidedSum);

    // A bill with returns cannot be voided.
    await createReturn(t.ctx(), { ...base, lines: [{ billItemId: soapLine.id, quantity: "1" }] });
    const withReturn = await databaseChecksum(t.db.pool);
    await expect(voidBill(t.ctx(), { billId: bill.id, reason: "oops" })).rejects.toBeInstanceOf(BillHasReturnsError);
    expect(await databaseChecksum(t.db.pool)).toBe(withReturn);
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });
});

describe("voids", () => {
  it("puts the stock back with void ledger rows, records who and why, keeps the bill and its payments", async () => {
    const { bill, sugar, soap } = await discountedTaxedBill();
    const manager = await signedInStaff(t.db, "MANAGER", "Maria");
    const voided = await voidBill({ ...t.ctx(), actor: manager.actor }, { billId: bill.id, reason: "  rang up twice " });
    expect(voided).toMatchObject({ id: bill.id, voidReason: "rang up twice", voidedBy: manager.staff.id, voidedByName: "Maria", voidApprovedBy: null });
    expect(voided.voidedAt).toBeInstanceOf(Date);
    expect(voided.payments).toHaveLength(2);
    expect([await stockOf(sugar.id), await stockOf(soap.id)]).toEqual(["50.000", "50.000"]);
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });

  it("only today's bills (shifts off) or the open shift's (shifts on)", async () => {
    const { bill } = await discountedTaxedBill();
    await t.db.pool.query("UPDATE bills SET created_at = now() - interval '2 days' WHERE id = $1", [bill.id]);
    const before = await databaseChecksum(t.db.pool);
    await expect(voidBill(t.ctx(), { billId: bill.id, reason: "late" })).rejects.toBeInstanceOf(VoidWindowClosedError);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const today = await discountedTaxedBill();
    await t.db.pool.query("UPDATE stores SET shifts_enabled = true");
    try {
      // Shifts on: a bill of no shift cannot be voided; one of the open shift can.
      await expect(voidBill(t.ctx(), { billId: today.bill.id, reason: "x" })).rejects.toBeInstanceOf(VoidWindowClosedError);
      const { rows } = await t.db.pool.query<{ id: number }>(
        "INSERT INTO shifts (store_id, register, register_key, opening_float) SELECT id, 'Till 9', 'till 9', 0 FROM stores ORDER BY id LIMIT 1 RETURNING id",
      );
      await t.db.pool.query("UPDATE bills SET shift_id = $1 WHERE id = $2", [rows[0]!.id, today.bill.id]);
      await expect(voidBill(t.ctx(), { billId: today.bill.id, reason: "x" })).resolves.toMatchObject({ voidReason: "x" });
      await t.db.pool.query("UPDATE shifts SET status = 'CLOSED', closed_at = now(), expected_cash = 0, counted_cash = 0, variance = 0 WHERE id = $1", [rows[0]!.id]);
    } finally {
      await t.db.pool.query("UPDATE stores SET shifts_enabled = false");
    }
  });
});

describe("approvals", () => {
  it("a cashier needs a manager's PIN for a return or a void; the approver is recorded; a cashier's PIN does not count", async () => {
    const { bill, sugarLine } = await discountedTaxedBill();
    const cashier = await signedInStaff(t.db, "CASHIER");
    const otherCashier = await signedInStaff(t.db, "CASHIER");
    const manager = await signedInStaff(t.db, "MANAGER", "Mona");
    const asCashier = { ...t.ctx(), actor: cashier.actor };
    const input = { billId: bill.id, reason: "r", lines: [{ billItemId: sugarLine.id, quantity: "1" }] };
    expect((await refundPreview(asCashier, input)).approvalRequired).toBe(true);
    const before = await booksChecksum();
    await expect(createReturn(asCashier, input)).rejects.toBeInstanceOf(ApprovalRequiredError);
    await expect(createReturn(asCashier, { ...input, approval: { username: manager.staff.username, pin: "0000" } })).rejects.toThrow(/does not count/);
    await expect(createReturn(asCashier, { ...input, approval: { username: otherCashier.staff.username, pin: TEST_PIN } })).rejects.toThrow(/may not approve it/);
    await expect(voidBill(asCashier, { billId: bill.id, reason: "x" })).rejects.toBeInstanceOf(ApprovalRequiredError);
    expect(await booksChecksum()).toBe(before);

    const { billReturn } = await createReturn(asCashier, { ...input, approval: { username: manager.staff.username, pin: TEST_PIN } });
    expect(billReturn).toMatchObject({ actorId: cashier.staff.id, approvedBy: manager.staff.id, approvedByName: "Mona" });
    // The cashier sees the return they started; another cashier does not.
    await expect(getReturn(asCashier, billReturn.id)).resolves.toMatchObject({ id: billReturn.id });
    await expect(getReturn({ ...t.ctx(), actor: otherCashier.actor }, billReturn.id)).rejects.toThrow(/VIEW_ALL_BILLS/);
  });
});

describe("idempotency", () => {
  it("the same key and request replays the return; the same key with another request is refused", async () => {
    const { bill, sugarLine } = await discountedTaxedBill();
    const key = `ret-${uniq()}`;
    const input = { billId: bill.id, reason: "r", lines: [{ billItemId: sugarLine.id, quantity: "2" }], idempotencyKey: key };
    const first = await createReturn(t.ctx(), input);
    const again = await createReturn(t.ctx(), input);
    expect([first.replayed, again.replayed, again.billReturn.id]).toEqual([false, true, first.billReturn.id]);
    const before = await databaseChecksum(t.db.pool);
    const reused = await createReturn(t.ctx(), { ...input, lines: [{ billItemId: sugarLine.id, quantity: "1" }] }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ReturnKeyReusedError);
    expect((reused as ReturnKeyReusedError).returnId).toBe(first.billReturn.id);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });
});

describe("concurrency", () => {
  it("many clients returning the same line at once never return more than was sold", async () => {
    const { bill, soap, soapLine } = await discountedTaxedBill();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => createReturn(t.ctx(), { billId: bill.id, reason: "race", lines: [{ billItemId: soapLine.id, quantity: "1" }] })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(3);
    expect(refused.every((r) => r.reason instanceof ReturnQuantityExceededError)).toBe(true);
    expect(await stockOf(soap.id)).toBe("50.000");
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });

  it("a return racing a void of the same bill: exactly one of them happens", async () => {
    for (let round = 0; round < 5; round++) {
      const { bill, sugarLine } = await discountedTaxedBill();
      const [ret, voided] = await Promise.allSettled([
        createReturn(t.ctx(), { billId: bill.id, reason: "race", lines: [{ billItemId: sugarLine.id, quantity: "1" }] }),
        voidBill(t.ctx(), { billId: bill.id, reason: "race" }),
      ]);
      expect([ret.status, voided.status].sort()).toEqual(["fulfilled", "rejected"]);
      const loser = (ret.status === "rejected" ? ret : voided) as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(ret.status === "rejected" ? BillVoidedError : BillHasReturnsError);
    }
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });
});

describe("cash refunds and the drawer", () => {
  it("with shifts on, a cash refund needs an open shift and is recorded on it", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const a = await item("20");
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: a.id, quantity: "2" }] });
    const input = { billId: bill.id, reason: "r", lines: [{ billItemId: bill.lines[0]!.id, quantity: "1" }] };
    await t.db.pool.query("UPDATE stores SET shifts_enabled = true");
    try {
      const before = await databaseChecksum(t.db.pool);
      await expect(createReturn(t.ctx(), input)).rejects.toBeInstanceOf(ShiftNotOpenError);
      expect(await databaseChecksum(t.db.pool)).toBe(before);
      const { rows } = await t.db.pool.query<{ id: number }>(
        "INSERT INTO shifts (store_id, register, register_key, opening_float) SELECT id, 'Till 7', 'till 7', 100 FROM stores ORDER BY id LIMIT 1 RETURNING id",
      );
      const { billReturn } = await createReturn(t.ctx(), input);
      expect(billReturn.shiftId).toBe(rows[0]!.id);
      // A refund to a card takes nothing from the drawer and needs no shift.
      await t.db.pool.query("UPDATE shifts SET status = 'CLOSED', closed_at = now(), expected_cash = 0, counted_cash = 0, variance = 0 WHERE id = $1", [rows[0]!.id]);
      const card = await createReturn(t.ctx(), { ...input, refundPayments: [{ method: "CARD", amount: "20.00" }] });
      expect(card.billReturn.shiftId).toBeNull();
    } finally {
      await t.db.pool.query("UPDATE stores SET shifts_enabled = false");
    }
  });
});

describe("reports", () => {
  it("leave a voided bill out, and count a return's refund without the tax it hands back", async () => {
    const today = async () => (await salesSummary(t.ctx(), { period: "TODAY" })).totals;
    const start = await today();
    const { bill, sugarLine } = await discountedTaxedBill();
    const sold = await today();
    expect(sold.bills).toBe(start.bills + 1);
    await createReturn(t.ctx(), { billId: bill.id, reason: "r", lines: [{ billItemId: sugarLine.id, quantity: "1" }] });
    const returned = await today();
    // 160.54 refunded, 23.33 of it tax.
    expect(returned.returns.sub(sold.returns).toFixed(2)).toBe("137.21");
    expect(sold.net.sub(returned.net).toFixed(2)).toBe("137.21");
    const other = await discountedTaxedBill();
    await voidBill(t.ctx(), { billId: other.bill.id, reason: "mistake" });
    const voided = await today();
    expect([voided.bills, voided.gross.toFixed(2)]).toEqual([returned.bills, returned.gross.toFixed(2)]);
  });
});

describe("property: random bills with discounts, tax and split payments", () => {
  const lineArb = fc.record({
    price: fc.integer({ min: 1, max: 50000 }).map((c) => (c / 100).toFixed(2)),
    qty: fc.integer({ min: 1, max: 5 }),
    tax: fc.constantFrom(null, "5", "17", "12.5"),
    discount: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
  });
  const billArb = fc.record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
    billDiscountPercent: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
    pricesIncludeTax: fc.boolean(),
    taxRounding: fc.constantFrom("PER_LINE", "PER_BILL_PER_RATE"),
    cardShare: fc.integer({ min: 0, max: 100 }),
    /** How the units come back: per unit, which return (0–2) takes it. */
    split: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 20, maxLength: 20 }),
  });

  it("a full return refunds exactly what was paid, partial returns add up, ledger and stock agree", async () => {
    await fc.assert(
      fc.asyncProperty(billArb, async (b) => {
        await updateShopSettings(t.ctx(), { ...defaults, pricesIncludeTax: b.pricesIncludeTax, taxRounding: b.taxRounding });
        const items = await Promise.all(b.lines.map((l) => item(l.price, "100", "pcs", l.tax ?? undefined)));
        const lines = b.lines.map((l, i) => ({ itemId: items[i]!.id, quantity: String(l.qty), discount: l.discount ? { kind: "PERCENT", value: String(l.discount) } : undefined }));
        const billDiscount = b.billDiscountPercent ? { kind: "PERCENT", value: String(b.billDiscountPercent) } : undefined;
        const preview = await previewBill(t.ctx(), { lines, billDiscount });
        const total = preview.totalAmount;
        const card = total.mul(b.cardShare).div(100).toDecimalPlaces(2, Decimal.ROUND_DOWN);
        const payments = [...(card.gt(0) ? [{ method: "CARD", amount: card.toFixed(2) }] : []), ...(total.sub(card).gt(0) ? [{ method: "CASH", amount: total.sub(card).toFixed(2) }] : [])];
        const { bill } = await createBill(t.ctx(), { lines, billDiscount, payments });
        const stockBefore = await Promise.all(items.map((i) => stockOf(i.id)));

        // Each unit goes back in one of up to three returns; every unit comes back in the end.
        let k = 0;
        const takenBy = bill.lines.map((l) => Array.from({ length: l.quantity.toNumber() }, () => b.split[k++ % b.split.length]!));
        const plans = [0, 1, 2].map((r) =>
          bill.lines.map((l, i) => ({ billItemId: l.id, quantity: String(takenBy[i]!.filter((x) => x === r).length) })).filter((x) => x.quantity !== "0"),
        );
        let refunded = new Decimal(0);
        const refundedByLine = new Map<number, Decimal>();
        for (const plan of plans) {
          if (!plan.length) continue;
          const input = { billId: bill.id, reason: "prop", lines: plan };
          const preview = await refundPreview(t.ctx(), input);
          const { billReturn } = await createReturn(t.ctx(), input);
          expect(billReturn.refundTotal.toFixed(2)).toBe(preview.refundTotal.toFixed(2));
          refunded = refunded.add(billReturn.refundTotal);
          expect(refunded.lte(bill.totalAmount)).toBe(true);
          for (const l of billReturn.lines) refundedByLine.set(l.billItemId, (refundedByLine.get(l.billItemId) ?? new Decimal(0)).add(l.refundAmount));
        }
        expect(refunded.toFixed(2)).toBe(bill.totalAmount.toFixed(2));
        for (const l of bill.lines) expect(refundedByLine.get(l.id)?.toFixed(2)).toBe(l.chargedTotal.toFixed(2));
        const stockAfter = await Promise.all(items.map((i) => stockOf(i.id)));
        stockAfter.forEach((s, i) => expect(new Decimal(s).toFixed(3)).toBe(new Decimal(stockBefore[i]!).add(b.lines[i]!.qty).toFixed(3)));
        expect(await bookViolations(t.db.pool)).toEqual([]);
      }),
      { numRuns: 25 },
    );
    await updateShopSettings(t.ctx(), defaults);
  });
});
