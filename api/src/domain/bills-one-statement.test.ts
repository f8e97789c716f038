// A sale in one round trip (issue 16): createBill prices from a snapshot and
// sends one bill_sell_priced() call; whenever the snapshot is stale, or the
// sale needs the full transaction (shortage, shifts, approvals, replays), the
// refused call writes nothing and the full path answers exactly as before.
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { bookViolations } from "../testing/books.ts";
import { TEST_PIN, signedInStaff, useTestDatabase } from "../testing/fixtures.ts";
import { createBill, getBill } from "./bills.ts";
import { ShiftNotOpenError } from "./drawer.ts";
import { IdempotencyKeyReusedError, InsufficientStockError, ItemInactiveError } from "./errors.ts";
import { createItem } from "./items.ts";
import { updateShopSettings } from "./settings.ts";
import { createTaxRate, setItemTaxRate } from "./tax-rates.ts";
import { DiscountApprovalRequiredError } from "./totals-errors.ts";

const t = useTestDatabase(10);
const uniq = () => Math.random().toString(36).slice(2, 8);
const defaults = { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00", cashierDiscountLimit: "100", shiftsEnabled: false } as const;

async function item(price: string, stock = "100") {
  return createItem(t.ctx(), { name: `Item ${uniq()}`, category: `Cat ${uniq()}`, unit: "pcs", unitPrice: price, stockQty: stock });
}
const count = async (sql: string, values: unknown[] = []) => Number((await t.db.pool.query<{ n: string }>(sql, values)).rows[0]!.n);
const bills = () => count("SELECT count(*) AS n FROM bills");
const stockOf = async (itemId: number) => (await t.db.pool.query<{ s: string }>("SELECT stock_qty::text AS s FROM items WHERE id = $1", [itemId])).rows[0]!.s;

describe("createBill in one statement", () => {
  it("takes the one-statement path, and what it returns is what it stored", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const rate = await createTaxRate(t.ctx(), { name: `VAT ${uniq()}`, percent: "17" });
    const tea = await item("160", "50");
    await setItemTaxRate(t.ctx(), { itemId: tea.id, taxRateId: rate.id });
    const soap = await item("45.50", "50");
    const made = await createBill(t.ctx(), {
      customerName: "Ali",
      lines: [
        { itemId: soap.id, quantity: "3" },
        { itemId: tea.id, quantity: "2", discount: { kind: "PERCENT", value: "10" } },
      ],
      billDiscount: { kind: "AMOUNT", value: "20" },
      payments: [
        { method: "CARD", amount: "100.00", reference: "4242" },
        { method: "CASH", amount: "500" },
      ],
      idempotencyKey: `k-${uniq()}`,
    });
    expect(made.via).toBe("one-statement");
    // 136.50 + 320.00; 32.00 off the tea, 20.00 off the bill shared out; 17% tax on the tea's share.
    expect([made.bill.subtotal.toFixed(2), made.bill.discountTotal.toFixed(2)]).toEqual(["456.50", "52.00"]);
    expect(made.bill.lines.map((l) => l.itemId)).toEqual([soap.id, tea.id]); // cart order
    const stored = await getBill(t.ctx(), made.bill.id);
    expect(stored).toEqual(made.bill);
    expect(await stockOf(tea.id)).toBe("48.000");
    expect(await count("SELECT count(*) AS n FROM stock_movements WHERE bill_id = $1 AND reason = 'sale'", [made.bill.id])).toBe(2);
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });

  it("a sale of items and settings already seen reaches the database as one statement; an unseen item costs one read more", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const [milk, bread] = [await item("120"), await item("80")];
    await createBill(t.ctx(), { lines: [{ itemId: milk.id, quantity: "1" }] });
    const sent = vi.spyOn(pg.Client.prototype, "query");
    const statements = () => sent.mock.calls.map(([q]) => (typeof q === "string" ? q : (q as { text: string }).text).split("(")[0]!.trim());
    try {
      await createBill(t.ctx(), { lines: [{ itemId: milk.id, quantity: "2" }], idempotencyKey: `k-${uniq()}` });
      expect(statements()).toEqual(["SELECT * FROM bill_sell_priced"]);
      sent.mockClear();
      await createBill(t.ctx(), { lines: [{ itemId: milk.id, quantity: "1" }, { itemId: bread.id, quantity: "1" }] });
      expect(statements()).toEqual([expect.stringMatching(/^SELECT i\.id, i\.name/), "SELECT * FROM bill_sell_priced"]);
    } finally {
      sent.mockRestore();
    }
  });

  it("a price changed after the snapshot: the call writes nothing, the full path sells at the new price, the next sale is fast again", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const rice = await item("100");
    expect((await createBill(t.ctx(), { lines: [{ itemId: rice.id, quantity: "1" }] })).via).toBe("one-statement");
    const before = await bills();
    // Behind the API's back (another process, a bulk edit): the snapshot still says 100.
    await t.db.pool.query("UPDATE items SET unit_price = 120 WHERE id = $1", [rice.id]);
    const changed = await createBill(t.ctx(), { lines: [{ itemId: rice.id, quantity: "2" }] });
    expect(changed.via).toBe("transaction");
    expect(changed.bill.totalAmount.toFixed(2)).toBe("240.00");
    expect(await bills()).toBe(before + 1); // the refused call left no bill behind
    expect(await stockOf(rice.id)).toBe("97.000");
    const again = await createBill(t.ctx(), { lines: [{ itemId: rice.id, quantity: "1" }] });
    expect(again).toMatchObject({ via: "one-statement" });
    expect(again.bill.totalAmount.toFixed(2)).toBe("120.00");
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });

  it("a price committed while the one statement waits for the item's lock: refused under the lock, sold at the new price", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const flour = await item("50");
    await createBill(t.ctx(), { lines: [{ itemId: flour.id, quantity: "1" }] }); // the snapshot says 50
    const editor = await t.db.pool.connect();
    try {
      await editor.query("BEGIN");
      await editor.query("UPDATE items SET unit_price = 55 WHERE id = $1", [flour.id]);
      const sale = createBill(t.ctx(), { lines: [{ itemId: flour.id, quantity: "2" }] });
      // The sale's statement is priced at 50 and now queues for the row lock the edit holds.
      while (!(await count("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%bill_sell_priced%'"))) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await editor.query("COMMIT");
      const sold = await sale;
      expect([sold.via, sold.bill.totalAmount.toFixed(2), sold.bill.lines[0]!.unitPrice.toFixed(2)]).toEqual(["transaction", "110.00", "55.00"]);
    } finally {
      editor.release();
    }
    expect(await stockOf(flour.id)).toBe("97.000");
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });

  it("a tax rate or a shop setting changed after the snapshot falls back and prices with the new one", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const rate = await createTaxRate(t.ctx(), { name: `GST ${uniq()}`, percent: "10" });
    const oil = await item("200");
    await setItemTaxRate(t.ctx(), { itemId: oil.id, taxRateId: rate.id });
    expect((await createBill(t.ctx(), { lines: [{ itemId: oil.id, quantity: "1" }] })).bill.taxTotal.toFixed(2)).toBe("20.00");
    await t.db.pool.query("UPDATE tax_rates SET percent = 12 WHERE id = $1", [rate.id]);
    const taxed = await createBill(t.ctx(), { lines: [{ itemId: oil.id, quantity: "1" }] });
    expect([taxed.via, taxed.bill.taxTotal.toFixed(2)]).toEqual(["transaction", "24.00"]);

    await t.db.pool.query("UPDATE stores SET prices_include_tax = true"); // not through the API: no updated_at either
    const inclusive = await createBill(t.ctx(), { lines: [{ itemId: oil.id, quantity: "1" }] });
    expect([inclusive.via, inclusive.bill.totalAmount.toFixed(2), inclusive.bill.taxTotal.toFixed(2)]).toEqual(["transaction", "200.00", "21.43"]);
    expect((await createBill(t.ctx(), { lines: [{ itemId: oil.id, quantity: "1" }] })).via).toBe("one-statement");
    await updateShopSettings(t.ctx(), defaults);
  });

  it("stock, inactive items and replays get today's answers, and a refused call writes nothing", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const ghee = await item("1450.50", "3");
    await createBill(t.ctx(), { lines: [{ itemId: ghee.id, quantity: "1" }] }); // in the snapshot now
    const before = await bills();
    await expect(createBill(t.ctx(), { lines: [{ itemId: ghee.id, quantity: "5" }] })).rejects.toBeInstanceOf(InsufficientStockError);
    expect([await bills(), await stockOf(ghee.id)]).toEqual([before, "2.000"]);

    const key = `till-1:${uniq()}`;
    const first = await createBill(t.ctx(), { lines: [{ itemId: ghee.id, quantity: "1" }], idempotencyKey: key });
    const replay = await createBill(t.ctx(), { lines: [{ itemId: ghee.id, quantity: "1" }], idempotencyKey: key });
    expect([first.via, first.replayed, replay.replayed, replay.bill.id]).toEqual(["one-statement", false, true, first.bill.id]);
    await expect(createBill(t.ctx(), { lines: [{ itemId: ghee.id, quantity: "0.5" }], idempotencyKey: key })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await stockOf(ghee.id)).toBe("1.000");

    await t.db.pool.query("UPDATE items SET is_active = false WHERE id = $1", [ghee.id]);
    await expect(createBill(t.ctx(), { lines: [{ itemId: ghee.id, quantity: "1" }] })).rejects.toBeInstanceOf(ItemInactiveError);
    expect(await bills()).toBe(before + 1);
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });

  it("with shifts on, sells into the open shift in one statement, and refuses with no shift open", async () => {
    await updateShopSettings(t.ctx(), defaults);
    const salt = await item("30");
    await t.db.pool.query("UPDATE stores SET shifts_enabled = true");
    try {
      await expect(createBill(t.ctx(), { lines: [{ itemId: salt.id, quantity: "1" }] })).rejects.toBeInstanceOf(ShiftNotOpenError);
      const { rows } = await t.db.pool.query<{ id: number }>(
        "INSERT INTO shifts (store_id, register, register_key, opening_float) SELECT id, 'Till 4', 'till 4', 0 FROM stores ORDER BY id LIMIT 1 RETURNING id",
      );
      const sold = await createBill(t.ctx(), { lines: [{ itemId: salt.id, quantity: "1" }], register: " Till 4 " });
      expect([sold.via, sold.bill.shiftId]).toEqual(["one-statement", rows[0]!.id]);
      expect((await getBill(t.ctx(), sold.bill.id)).shiftId).toBe(rows[0]!.id);
      await expect(createBill(t.ctx(), { lines: [{ itemId: salt.id, quantity: "1" }], register: "Till 5" })).rejects.toBeInstanceOf(ShiftNotOpenError);
      await t.db.pool.query("UPDATE shifts SET status = 'CLOSED', closed_at = now(), expected_cash = 0, counted_cash = 0, variance = 0 WHERE id = $1", [rows[0]!.id]);
    } finally {
      await t.db.pool.query("UPDATE stores SET shifts_enabled = false");
    }
  });

  it("a discount over the cashier's limit goes through the full path and its manager's approval", async () => {
    await updateShopSettings(t.ctx(), { ...defaults, cashierDiscountLimit: "5" });
    const cashier = await signedInStaff(t.db, "CASHIER");
    const manager = await signedInStaff(t.db, "MANAGER");
    const jam = await item("100");
    const input = { lines: [{ itemId: jam.id, quantity: "1", discount: { kind: "PERCENT", value: "20" } }] };
    await expect(createBill(t.ctx(cashier.actor), input)).rejects.toBeInstanceOf(DiscountApprovalRequiredError);
    const approved = await createBill(t.ctx(cashier.actor), { ...input, approval: { username: manager.staff.username, pin: TEST_PIN } });
    expect([approved.via, approved.bill.discountApprovedBy, approved.bill.totalAmount.toFixed(2)]).toEqual(["transaction", manager.staff.id, "80.00"]);
    const within = await createBill(t.ctx(cashier.actor), { lines: [{ itemId: jam.id, quantity: "1", discount: { kind: "PERCENT", value: "5" } }] });
    expect([within.via, within.bill.cashierId]).toEqual(["one-statement", cashier.staff.id]);
    await updateShopSettings(t.ctx(), defaults);
  });
});
