import { describe, expect, it } from "vitest";
import { databaseChecksum } from "../testing/checksum.ts";
import { signedInStaff, useTestDatabase, TEST_PIN } from "../testing/fixtures.ts";
import { createBill } from "./bills.ts";
import { createReturn } from "./returns.ts";
import { voidBill } from "./voids.ts";
import { ShiftNotOpenError, drawerShift } from "./drawer.ts";
import { ValidationError } from "./errors.ts";
import { createItem } from "./items.ts";
import { Decimal } from "./money.ts";
import { updateShopSettings } from "./settings.ts";
import {
  DrawerCashShortError,
  DrawerKeyReusedError,
  ShiftAlreadyOpenError,
  ShiftClosedError,
  ShiftsDisabledError,
  closeShift,
  currentShift,
  listZReports,
  openShift,
  recordCashMovement,
  zReport,
  type ShiftFigures,
} from "./shifts.ts";
import { createTaxRate, setItemTaxRate } from "./tax-rates.ts";

const t = useTestDatabase(30);
let n = 0;
const register = () => `Counter ${++n}-${Math.random().toString(36).slice(2, 6)}`;
const shiftsOn = () => updateShopSettings(t.ctx(), { shiftsEnabled: true });

/** The figures a Z report must hold, computed here by plain SQL of its own over the stored documents. */
async function figuresBySql(shiftId: number) {
  const one = async (sql: string) => (await t.db.pool.query<{ v: string | null }>(sql, [shiftId])).rows[0]!.v ?? "0";
  const money = async (sql: string) => new Decimal(await one(sql)).toFixed(2);
  const live = "FROM bills WHERE shift_id = $1 AND voided_at IS NULL";
  const cashOf = (kind: string) => money(`SELECT sum(amount) AS v FROM cash_movements WHERE shift_id = $1 AND kind = '${kind}'`);
  const float = await money("SELECT opening_float AS v FROM shifts WHERE id = $1");
  const cashSales = await money(`SELECT sum(p.amount) AS v FROM bill_payments p WHERE p.method = 'CASH' AND p.bill_id IN (SELECT id ${live})`);
  const cashRefunds = await money(
    "SELECT sum(p.amount) AS v FROM bill_return_payments p WHERE p.method = 'CASH' AND p.return_id IN (SELECT id FROM bill_returns WHERE shift_id = $1)",
  );
  const paidIn = await cashOf("PAID_IN");
  const paidOut = await cashOf("PAID_OUT");
  const expected = new Decimal(float).add(cashSales).sub(cashRefunds).add(paidIn).sub(paidOut).toFixed(2);
  const total = await money(`SELECT sum(total_amount) AS v ${live}`);
  const tax = await money(`SELECT sum(tax_total) AS v ${live}`);
  const refunded = await money("SELECT sum(refund_total) AS v FROM bill_returns WHERE shift_id = $1");
  const refundedTax = await money("SELECT sum(tax_total) AS v FROM bill_returns WHERE shift_id = $1");
  const methods = await t.db.pool.query<{ method: string; sales: string; refunds: string }>(
    `SELECT m AS method,
            coalesce((SELECT sum(amount) FROM bill_payments WHERE method::text = m AND bill_id IN (SELECT id ${live})), 0)::numeric(12,2)::text AS sales,
            coalesce((SELECT sum(amount) FROM bill_return_payments WHERE method::text = m AND return_id IN (SELECT id FROM bill_returns WHERE shift_id = $1)), 0)::numeric(12,2)::text AS refunds
       FROM unnest(enum_range(NULL::payment_method)::text[]) m ORDER BY m`,
    [shiftId],
  );
  const rates = await t.db.pool.query<{ name: string; tax: string }>(
    `SELECT tax_rate_name AS name, sum(tax_amount)::text AS tax FROM bill_items WHERE tax_rate_name IS NOT NULL AND bill_id IN (SELECT id ${live}) GROUP BY 1 ORDER BY 1`,
    [shiftId],
  );
  return {
    count: Number(await one(`SELECT count(*) AS v ${live}`)),
    gross: await money(`SELECT sum(subtotal) AS v ${live}`),
    discounts: await money(`SELECT sum(discount_total) AS v ${live}`),
    total,
    tax,
    voids: await money("SELECT sum(total_amount) AS v FROM bills WHERE shift_id = $1 AND voided_at IS NOT NULL"),
    refunded,
    net: new Decimal(total).sub(refunded).sub(new Decimal(tax).sub(refundedTax)).toFixed(2),
    cash: { float, cashSales, cashRefunds, paidIn, paidOut, expected },
    methods: methods.rows.filter((r) => r.sales !== "0.00" || r.refunds !== "0.00").map((r) => ({ method: r.method, sales: r.sales, refunds: r.refunds })),
    rates: rates.rows.map((r) => ({ name: r.name, tax: new Decimal(r.tax).toFixed(2) })),
  };
}

const fromZ = (f: ShiftFigures) => ({
  count: f.bills.count,
  gross: f.bills.gross,
  discounts: f.bills.discounts,
  total: f.bills.total,
  tax: f.bills.tax,
  voids: f.voids.total,
  refunded: f.returns.refunded,
  net: f.net,
  cash: { float: f.cash.openingFloat, cashSales: f.cash.sales, cashRefunds: f.cash.refunds, paidIn: f.cash.paidIn, paidOut: f.cash.paidOut, expected: f.cash.expected },
  methods: f.payments.map((p) => ({ method: p.method, sales: p.sales, refunds: p.refunds })),
  rates: f.taxByRate.map((r) => ({ name: r.name, tax: r.tax })),
});

/** Waits until this many other connections are waiting for a row lock. */
async function waitForLockWaiters(count: number) {
  for (;;) {
    const { rows } = await t.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (rows[0]!.n >= count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("shifts and the Z report", () => {
  it("a closed shift's Z report equals the sum of its documents (cash, card, split, discounts, tax, paid in/out, a return, a void), computed independently in SQL", async () => {
    await shiftsOn();
    await updateShopSettings(t.ctx(), { cashierDiscountLimit: "5", pricesIncludeTax: false, cashRounding: "0.00" });
    const gst = await createTaxRate(t.ctx(), { name: `GST ${Math.random()}`, percent: "17" });
    const sugar = await createItem(t.ctx(), { name: "Z Sugar", unit: "kg", unitPrice: "160", stockQty: "100" });
    const soap = await createItem(t.ctx(), { name: "Z Soap", unitPrice: "45.50", stockQty: "100" });
    await setItemTaxRate(t.ctx(), { itemId: sugar.id, taxRateId: gst.id });
    const cashier = await signedInStaff(t.db, "CASHIER", "Sara Cashier");
    const manager = await signedInStaff(t.db, "MANAGER", "Omar Manager");
    const asCashier = t.ctx(cashier.actor);
    const reg = register();

    const { value: shift } = await openShift(asCashier, { register: reg, openingFloat: "500.00" });
    const sell = (input: Record<string, unknown>) => createBill(asCashier, { register: reg, ...input } as never);
    await sell({ lines: [{ itemId: sugar.id, quantity: "1.5" }], payments: [{ method: "CASH", amount: "300" }] }); // change given back
    await sell({ lines: [{ itemId: soap.id, quantity: "2" }], payments: [{ method: "CARD", amount: "91.00", reference: "4242" }] });
    await sell({ lines: [{ itemId: sugar.id, quantity: "1" }, { itemId: soap.id, quantity: "1" }], payments: [{ method: "CARD", amount: "100" }, { method: "CASH", amount: "200" }] });
    const discounted = await sell({
      lines: [{ itemId: soap.id, quantity: "4", discount: { kind: "PERCENT", value: "20", reason: "old stock" } }],
      approval: { username: manager.staff.username, pin: TEST_PIN },
    });
    expect(discounted.bill.discountApprovedBy).toBe(manager.staff.id);
    const voided = await sell({ lines: [{ itemId: soap.id, quantity: "1" }] });
    const returned = await sell({ lines: [{ itemId: soap.id, quantity: "3" }] });
    await recordCashMovement(asCashier, { kind: "PAID_IN", amount: "50", reason: "change from the bank", register: reg });
    await recordCashMovement(asCashier, { kind: "PAID_OUT", amount: "30.25", reason: "milk for the shop" });
    // A void by the manager, and a cashier's return (damaged, cash back from this drawer) approved by the manager's PIN.
    await voidBill(t.ctx(manager.actor), { billId: voided.bill.id, reason: "wrong item" });
    const ret = await createReturn(asCashier, {
      billId: returned.bill.id,
      reason: "damaged",
      lines: [{ billItemId: returned.bill.lines[0]!.id, quantity: "1", restock: false }],
      register: reg,
      approval: { username: manager.staff.username, pin: TEST_PIN },
    });
    expect(ret.billReturn.shiftId).toBe(shift.id);

    const x = await currentShift(asCashier, { register: reg });
    expect(x.report?.figures.cash.counted).toBeNull();

    const { value: closed } = await closeShift(asCashier, { shiftId: shift.id, countedCash: "1000.00", note: "short a coin" });
    const z = closed.zReport;
    const bySql = await figuresBySql(shift.id);
    expect(fromZ(z.figures)).toEqual(bySql);
    expect(x.report!.figures.cash.expected).toBe(bySql.cash.expected);
    expect(bySql.count).toBe(5);
    expect(z.figures.voids.count).toBe(1);
    expect(z.figures.returns.count).toBe(1);
    // 500 float + cash (sugar 280.80, split rest, discounted, returned; not the voided one) − 45.50 refund + 50 in − 30.25 out.
    expect(z.figures.cash.counted).toBe("1000.00");
    expect(z.figures.cash.variance).toBe(new Decimal("1000").sub(bySql.cash.expected).toFixed(2));
    expect(closed.shift).toMatchObject({ status: "CLOSED", closeNote: "short a coin", zNumber: z.number });
    expect(closed.shift.variance!.toFixed(2)).toBe(z.figures.cash.variance);
    expect(z.differences).toEqual([]);

    // Overrides and approvals per person.
    const omar = z.figures.people.find((p) => p.staffId === manager.staff.id)!;
    expect(omar).toMatchObject({ discountApprovals: 1, discountsApproved: discounted.bill.discountTotal.toFixed(2), returnApprovals: 1, refundsApproved: "45.50", voids: 1, voided: voided.bill.totalAmount.toFixed(2), bills: 0 });
    expect(z.figures.people.find((p) => p.staffId === cashier.staff.id)).toMatchObject({ bills: 5, sales: bySql.total });

    // The Z report is immutable, and opening it later recomputes and flags a document changed behind its back.
    await expect(t.db.pool.query("UPDATE z_reports SET figures = '{}' WHERE id = $1", [z.number])).rejects.toThrow(/immutable/);
    await t.db.pool.query("UPDATE cash_movements SET amount = 40.25 WHERE shift_id = $1 AND kind = 'PAID_OUT'", [shift.id]);
    const reread = await zReport(t.ctx(manager.actor), z.number);
    expect(reread.figures).toEqual(z.figures);
    expect(reread.differences).toEqual(expect.arrayContaining(["cash.paidOut", "cash.expected", "cash.variance"]));
    expect((await listZReports(t.ctx(manager.actor))).nodes[0]).toMatchObject({ number: z.number, register: reg });
  });

  it("refuses bad requests with typed errors and changes nothing", async () => {
    const reg = register();
    await updateShopSettings(t.ctx(), { shiftsEnabled: false });
    const before = await databaseChecksum(t.db.pool);
    await expect(openShift(t.ctx(), { register: reg, openingFloat: "10" })).rejects.toBeInstanceOf(ShiftsDisabledError);
    await shiftsOn();
    const item = await createItem(t.ctx(), { name: "Bad Input Tea", unitPrice: "10", stockQty: "10" });
    const afterSetup = await databaseChecksum(t.db.pool);
    expect(afterSetup).not.toBe(before);
    await expect(createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: "1" }], register: reg })).rejects.toBeInstanceOf(ShiftNotOpenError);
    await expect(openShift(t.ctx(), { register: reg, openingFloat: "-1" })).rejects.toThrow(/openingFloat: must not be negative/);
    await expect(openShift(t.ctx(), { register: "  ", openingFloat: "1" })).rejects.toThrow(/register: must not be blank/);
    const { value: shift } = await openShift(t.ctx(), { register: reg, openingFloat: "100" });
    const open = await databaseChecksum(t.db.pool);
    await expect(openShift(t.ctx(), { register: ` ${reg.toUpperCase()} `, openingFloat: "5" })).rejects.toBeInstanceOf(ShiftAlreadyOpenError);
    const noReason = recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "5", reason: " ", register: reg });
    await expect(noReason).rejects.toBeInstanceOf(ValidationError);
    await expect(noReason).rejects.toThrow(/reason: must not be blank/);
    await expect(recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "-5", reason: "x", register: reg })).rejects.toThrow(/amount: must be greater than 0/);
    await expect(recordCashMovement(t.ctx(), { kind: "TAKEN", amount: "5", reason: "x", register: reg })).rejects.toThrow(/kind: must be PAID_IN or PAID_OUT/);
    await expect(closeShift(t.ctx(), { shiftId: shift.id, countedCash: "-1" })).rejects.toThrow(/countedCash: must not be negative/);
    await expect(updateShopSettings(t.ctx(), { shiftsEnabled: false })).rejects.toThrow(/cannot be turned off while a shift is open/);
    expect(await databaseChecksum(t.db.pool)).toBe(open);
    await closeShift(t.ctx(), { shiftId: shift.id, countedCash: "100" });
    const closed = await databaseChecksum(t.db.pool);
    const again = closeShift(t.ctx(), { shiftId: shift.id, countedCash: "100" });
    await expect(again).rejects.toBeInstanceOf(ShiftClosedError);
    await expect(again).rejects.toThrow(/already closed \(Z report \d+\)/);
    expect(await databaseChecksum(t.db.pool)).toBe(closed);
  });

  it("open, cash movements and close are idempotent by key; a key reused for another request is refused", async () => {
    await shiftsOn();
    const reg = register();
    const key = `open-${Math.random()}`;
    const a = await openShift(t.ctx(), { register: reg, openingFloat: "20", idempotencyKey: key });
    const b = await openShift(t.ctx(), { register: reg, openingFloat: "20.00", idempotencyKey: key });
    expect([a.replayed, b.replayed, b.value.id]).toEqual([false, true, a.value.id]);
    await expect(openShift(t.ctx(), { register: reg, openingFloat: "25", idempotencyKey: key })).rejects.toBeInstanceOf(DrawerKeyReusedError);

    const mk = `move-${Math.random()}`;
    const m1 = await recordCashMovement(t.ctx(), { kind: "PAID_IN", amount: "5", reason: "coins", register: reg, idempotencyKey: mk });
    const m2 = await recordCashMovement(t.ctx(), { kind: "PAID_IN", amount: "5", reason: "coins", register: reg, idempotencyKey: mk });
    expect([m2.replayed, m2.value.id]).toEqual([true, m1.value.id]);
    await expect(recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "5", reason: "coins", register: reg, idempotencyKey: mk })).rejects.toBeInstanceOf(DrawerKeyReusedError);

    const ck = `close-${Math.random()}`;
    const c1 = await closeShift(t.ctx(), { shiftId: a.value.id, countedCash: "24", idempotencyKey: ck });
    const c2 = await closeShift(t.ctx(), { shiftId: a.value.id, countedCash: "24", idempotencyKey: ck });
    expect([c1.replayed, c2.replayed, c2.value.zReport.number]).toEqual([false, true, c1.value.zReport.number]);
    expect(c2.value.zReport.figures).toEqual(c1.value.zReport.figures);
    expect(c1.value.shift.variance!.toFixed(2)).toBe("-1.00");
    await expect(closeShift(t.ctx(), { shiftId: a.value.id, countedCash: "25", idempotencyKey: ck })).rejects.toBeInstanceOf(DrawerKeyReusedError);
    await expect(closeShift(t.ctx(), { shiftId: a.value.id, countedCash: "24", idempotencyKey: `other-${ck}` })).rejects.toBeInstanceOf(ShiftClosedError);
    // A retried paid-in after the close is still answered (it happened in that shift).
    expect((await recordCashMovement(t.ctx(), { kind: "PAID_IN", amount: "5", reason: "coins", register: reg, idempotencyKey: mk })).value.id).toBe(m1.value.id);
  });

  it("a pay-out larger than the drawer's cash is refused, and racing pay-outs never take more than it holds", async () => {
    await shiftsOn();
    const reg = register();
    const item = await createItem(t.ctx(), { name: "Pay-out Pulses", unitPrice: "12.50", stockQty: "100" });
    await openShift(t.ctx(), { register: reg, openingFloat: "40" });
    // 40 float + 25 cash sale + 35 paid in = 100 in the drawer; a card sale adds nothing to it.
    await createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: "2" }], payments: [{ method: "CASH", amount: "25" }], register: reg });
    await createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: "1" }], payments: [{ method: "CARD", amount: "12.50" }], register: reg });
    await recordCashMovement(t.ctx(), { kind: "PAID_IN", amount: "35", reason: "change from the bank", register: reg });
    const before = await databaseChecksum(t.db.pool);
    const tooMuch = recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "100.01", reason: "supplier", register: reg });
    await expect(tooMuch).rejects.toBeInstanceOf(DrawerCashShortError);
    await expect(tooMuch).rejects.toThrow("The drawer holds 100.00 in cash: a pay-out of 100.01 cannot come out of it");
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    // Six pay-outs of 30 at once from 100: three fit, whatever the order.
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "30", reason: `supplier ${i}`, register: reg })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DrawerCashShortError);
    expect((await currentShift(t.ctx(), { register: reg })).report!.figures.cash.expected).toBe("10.00");
    // Exactly what is left may go.
    await recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "10", reason: "float to the safe", register: reg });
    const drained = (await currentShift(t.ctx(), { register: reg })).report!;
    expect(drained.figures.cash.expected).toBe("0.00");
    await closeShift(t.ctx(), { shiftId: drained.shift.id, countedCash: "0" });
  });

  it("a sale racing a close lands in the shift before the close or is refused, never in a closed shift", async () => {
    await shiftsOn();
    const reg = register();
    const item = await createItem(t.ctx(), { name: "Race Rice", unitPrice: "10", stockQty: "100000" });
    const sale = () =>
      createBill(t.ctx(), { register: reg, lines: [{ itemId: item.id, quantity: "1" }] }).then(
        (r) => r.bill.id,
        (e: unknown) => (e instanceof ShiftNotOpenError ? null : Promise.reject(e)),
      );
    const tally = { landed: 0, refused: 0 };
    for (let round = 0; round < 6; round++) {
      const { value: shift } = await openShift(t.ctx(), { register: reg, openingFloat: "0" });
      // Sales keep arriving over a few milliseconds; the close comes in the middle of them.
      const sales = Array.from({ length: 16 }, (_, i) => new Promise((r) => setTimeout(r, i)).then(sale));
      const close = new Promise((r) => setTimeout(r, 4 + round)).then(() => closeShift(t.ctx(), { shiftId: shift.id, countedCash: "0" }));
      const [sold, closed] = await Promise.all([Promise.all(sales), close]);
      const landed = sold.filter((id): id is number => id !== null);
      tally.landed += landed.length;
      tally.refused += sold.length - landed.length;
      const { rows } = await t.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM bills WHERE shift_id = $1", [shift.id]);
      expect(rows[0]!.n).toBe(landed.length);
      expect(closed.value.zReport.figures.bills.count).toBe(landed.length);
      expect(closed.value.zReport.figures.cash.sales).toBe(new Decimal(landed.length * 10).toFixed(2));
      expect((await zReport(t.ctx(), closed.value.zReport.number)).differences).toEqual([]);
    }
    console.log(`sale racing close: ${tally.landed} sales landed before the close, ${tally.refused} refused after it`);

    // And step by step: a transaction holding the drawer (as a sale does) makes the close wait. A sale that
    // arrives while the close waits shares the drawer with it and lands before the close (PostgreSQL grants
    // the share lock ahead of the waiting update); once the close commits, the next sale is refused.
    const { value: shift } = await openShift(t.ctx(), { register: reg, openingFloat: "0" });
    const inFlight = await t.db.pool.connect();
    try {
      await inFlight.query("BEGIN");
      const { rows: store } = await inFlight.query<{ id: number }>("SELECT id FROM stores WHERE code = 'main'");
      expect((await drawerShift(inFlight, { storeId: store[0]!.id }, reg))?.id).toBe(shift.id);
      const close = closeShift(t.ctx(), { shiftId: shift.id, countedCash: "0" });
      await waitForLockWaiters(1);
      const during = await sale();
      expect(during).not.toBeNull();
      await inFlight.query("COMMIT");
      const closed = await close;
      expect(closed.value.zReport.figures.bills.count).toBe(1);
      expect(await sale()).toBeNull();
      const { rows } = await t.db.pool.query<{ shift_id: number | null }>("SELECT shift_id FROM bills WHERE id = $1", [during]);
      expect(rows[0]!.shift_id).toBe(shift.id);
    } finally {
      inFlight.release();
    }
  });

  it("with shifts off a sale is unchanged (no shift); Z numbers have no gaps", async () => {
    await shiftsOn();
    // Earlier tests leave no shift open behind them; if one did, turning shifts off below would say so.
    const reg = register();
    const { value: s } = await openShift(t.ctx(), { register: reg, openingFloat: "0" });
    const a = await closeShift(t.ctx(), { shiftId: s.id, countedCash: "0" });
    await expect(closeShift(t.ctx(), { shiftId: s.id, countedCash: "0" })).rejects.toBeInstanceOf(ShiftClosedError);
    const { value: s2 } = await openShift(t.ctx(), { register: reg, openingFloat: "0" });
    const b = await closeShift(t.ctx(), { shiftId: s2.id, countedCash: "0" });
    expect(b.value.zReport.number).toBe(a.value.zReport.number + 1);
    await updateShopSettings(t.ctx(), { shiftsEnabled: false });
    const item = await createItem(t.ctx(), { name: "Off Oil", unitPrice: "10", stockQty: "10" });
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: "1" }] });
    expect(bill.shiftId).toBeNull();
    expect(await currentShift(t.ctx())).toEqual({ shiftsEnabled: false, report: null });
  });
});
