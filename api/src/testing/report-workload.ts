// A random workload of complete sales for the report tests: line and bill
// discounts, two tax rates and untaxed lines, prices with and without tax,
// per-bill tax rounding, cash rounding, split payments, cashiers with
// over-limit discounts approved by a manager, bills dated around the
// midnights of Karachi and New York (31 Oct – 3 Nov 2026, New York falling
// back on 1 Nov); then some bills voided and some partly returned, written as
// plain rows the way the returns service writes them (it is not on main yet).
import type { Actor } from "../domain/access.ts";
import { createBill, previewBill } from "../domain/bills.ts";
import { createItem } from "../domain/items.ts";
import { Decimal } from "../domain/money.ts";
import { updateShopSettings } from "../domain/settings.ts";
import { createTaxRate, setCategoryTaxRate, setItemTaxRate } from "../domain/tax-rates.ts";
import { TEST_PIN, signedInStaff, type useTestDatabase } from "./fixtures.ts";

type TestDb = ReturnType<typeof useTestDatabase>;

export interface Workload {
  cashiers: { actor: Actor; id: number; name: string }[];
  manager: { id: number; username: string; name: string };
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
export function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T,>(random: () => number, xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
const check = (value: number) => ({
  toBeGreaterThan(n: number) {
    if (!(value > n)) throw new Error(`the workload made ${value}, expected more than ${n}`);
  },
});

export const WORKLOAD_INSTANTS = ["2026-10-31T18:59:58Z", "2026-10-31T19:00:01Z", "2026-11-01T03:59:59Z", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T18:59:59Z", "2026-11-02T04:59:59Z", "2026-11-02T05:00:01Z", "2026-11-02T19:00:00Z", "2026-11-03T04:59:59Z"];
const INSTANTS = WORKLOAD_INSTANTS;

/** Sells opts.bills random bills (new items, rates and staff each call), then voids and returns some of them. */
export async function salesWorkload(t: TestDb, random: () => number, opts: { bills: number }): Promise<Workload> {
  const ctx = t.ctx();
  const { rows: before } = await t.db.pool.query<{ id: number }>("SELECT coalesce(max(id), 0)::int AS id FROM bills");
  const firstBill = before[0]!.id;
  const gst = await createTaxRate(ctx, { name: `GST ${firstBill}`, percent: "17" });
  const low = await createTaxRate(ctx, { name: `Reduced ${firstBill}`, percent: "5.5" });
  await setCategoryTaxRate(ctx, { category: "Grocery", taxRateId: gst.id });
  const items: Awaited<ReturnType<typeof createItem>>[] = [];
  for (let i = 0; i < 7; i++) {
    items.push(
      await createItem(ctx, {
        name: `Figure item ${i}`,
        category: ["Grocery", "Beauty", "Utilities"][i % 3]!,
        unitPrice: (5 + Math.floor(random() * 40000) / 100).toFixed(2),
        stockQty: "100000",
        unitCost: i === 2 ? null : (1 + Math.floor(random() * 3000) / 100).toFixed(2),
      }),
    );
  }
  await setItemTaxRate(ctx, { itemId: items[1]!.id, taxRateId: low.id });

  const cashiers: Workload["cashiers"] = [];
  for (const n of [1, 2]) {
    const s = await signedInStaff(t.db, "CASHIER", `Cashier ${n}`);
    cashiers.push({ actor: s.actor, id: s.staff.id, name: s.staff.displayName });
  }
  const m = await signedInStaff(t.db, "MANAGER", "Manager Mona");
  const manager = { id: m.staff.id, username: m.staff.username, name: m.staff.displayName };
  const sellers: (Actor | null)[] = [cashiers[0]!.actor, cashiers[1]!.actor, m.actor, null];

  for (let b = 0; b < opts.bills; b++) {
    if (b % 12 === 0) {
      await updateShopSettings(ctx, {
        pricesIncludeTax: b % 24 === 12,
        taxRounding: b % 36 === 24 ? "PER_BILL_PER_RATE" : "PER_LINE",
        cashRounding: b === 36 ? "0.05" : "0.00",
        cashierDiscountLimit: "10",
      });
    }
    const seller = pick(random, sellers);
    const sctx = seller ? { ...ctx, actor: seller } : ctx;
    const chosen = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, items)))];
    const input = {
      lines: chosen.map((it) => ({
        itemId: it.id,
        quantity: (0.5 + Math.floor(random() * 400) / 100).toFixed(3),
        ...(random() < 0.3 ? { discount: random() < 0.5 ? { kind: "PERCENT", value: String(1 + Math.floor(random() * 8)) } : { kind: "AMOUNT", value: "1.50" } } : {}),
      })),
      ...(random() < 0.35 ? { billDiscount: { kind: "PERCENT", value: pick(random, ["3", "5", "15", "25"]) } } : {}),
    };
    const preview = await previewBill(sctx, input);
    // Before cash rounding (the preview's total assumes cash, rounded).
    const due = preview.lines.reduce((a, l) => a.add(l.chargedTotal), new Decimal(0));
    const split = due.mul(Math.floor(random() * 100)).div(100).toDecimalPlaces(2, Decimal.ROUND_DOWN);
    const payments = pick(random, [
      [],
      [{ method: "CARD", amount: due.toFixed(2) }],
      [{ method: "MOBILE", amount: split.toFixed(2) }, { method: "CASH", amount: due.add(20).toFixed(0) }],
      [{ method: "OTHER", label: "Voucher", amount: split.toFixed(2) }, { method: "CARD", amount: due.sub(split).toFixed(2) }],
    ] as const);
    const approval = preview.discountApprovalRequired ? { approval: { username: manager.username, pin: TEST_PIN } } : {};
    const { bill } = await createBill(sctx, { ...input, payments, ...approval });
    const at = new Date(new Date(pick(random, INSTANTS)).getTime() + Math.floor((random() - 0.5) * 3000));
    await t.db.pool.query("UPDATE bills SET created_at = $2 WHERE id = $1", [bill.id, at]);
  }
  const { rows } = await t.db.pool.query<{ approved: number; taxed_incl: number; rounded: number }>(
    `SELECT count(*) FILTER (WHERE discount_approved_by IS NOT NULL)::int AS approved, count(*) FILTER (WHERE prices_include_tax)::int AS taxed_incl,
            count(*) FILTER (WHERE cash_rounding <> 0)::int AS rounded FROM bills WHERE id > $1`,
    [firstBill],
  );
  // The workload covers what it claims to.
  check(rows[0]!.approved).toBeGreaterThan(0);
  check(rows[0]!.taxed_incl).toBeGreaterThan(0);

  // Voids and returns, as the returns service will write them.
  const { rows: billIds } = await t.db.pool.query<{ id: number }>("SELECT id FROM bills WHERE id > $1 ORDER BY id", [firstBill]);
  for (const { id } of billIds) {
    const roll = random();
    if (roll < 0.12) {
      await t.db.pool.query(
        `UPDATE bills SET voided_at = $2, voided_by = $3, voided_by_name = 'Manager Mona', void_reason = 'wrong items', void_approved_by = $4 WHERE id = $1`,
        [id, new Date(new Date(pick(random, INSTANTS)).getTime() + 1000), pick(random, [manager.id, cashiers[0]!.id]), random() < 0.5 ? manager.id : null],
      );
    } else if (roll < 0.4) {
      await returnSome(t, random, id, pick(random, [cashiers[0]!.id, cashiers[1]!.id, null]), random() < 0.5 ? manager.id : null, new Date(new Date(pick(random, INSTANTS)).getTime() + 2000));
    }
  }
  const { rows: made } = await t.db.pool.query<{ returns: number; voids: number }>("SELECT (SELECT count(*) FROM bill_returns WHERE bill_id > $1)::int AS returns, (SELECT count(*) FROM bills WHERE voided_at IS NOT NULL AND id > $1)::int AS voids", [firstBill]);
  check(made[0]!.returns).toBeGreaterThan(3);
  check(made[0]!.voids).toBeGreaterThan(1);
  return { cashiers, manager };
}

/** A return of part of each of some of the bill's lines, refunded to the bill's first payment method (cash when none). */
async function returnSome(t: TestDb, random: () => number, billId: number, actorId: number | null, approvedBy: number | null, at: Date) {
  const { rows: lines } = await t.db.pool.query<{ id: number; item_id: number; quantity: string; charged_total: string; tax_amount: string }>(
    "SELECT id, item_id, quantity, charged_total, tax_amount FROM bill_items WHERE bill_id = $1 ORDER BY id",
    [billId],
  );
  const back = lines
    .filter(() => random() < 0.7)
    .map((l) => {
      const share = new Decimal(pick(random, ["1", "0.5", "0.25"]));
      const quantity = new Decimal(l.quantity).mul(share).toDecimalPlaces(3, Decimal.ROUND_DOWN);
      return { ...l, quantity, refund: new Decimal(l.charged_total).mul(share).toDecimalPlaces(2, Decimal.ROUND_DOWN), tax: new Decimal(l.tax_amount).mul(share).toDecimalPlaces(2, Decimal.ROUND_DOWN) };
    })
    .filter((l) => l.quantity.greaterThan(0) && l.refund.greaterThan(0));
  if (!back.length) return;
  const refund = back.reduce((s, l) => s.add(l.refund), new Decimal(0));
  const tax = back.reduce((s, l) => s.add(l.tax), new Decimal(0));
  const { rows: ret } = await t.db.pool.query<{ id: number }>(
    `INSERT INTO bill_returns (bill_id, reason, refund_total, tax_total, actor_id, actor_name, approved_by, created_at)
     VALUES ($1, 'changed mind', $2, $3, $4, 'who returned', $5, $6) RETURNING id`,
    [billId, refund.toFixed(2), tax.toFixed(2), actorId, approvedBy, at],
  );
  for (const l of back) {
    await t.db.pool.query(
      `INSERT INTO bill_return_lines (return_id, bill_item_id, item_id, quantity, restock, refund_amount, tax_amount) VALUES ($1, $2, $3, $4, true, $5, $6)`,
      [ret[0]!.id, l.id, l.item_id, l.quantity.toFixed(3), l.refund.toFixed(2), l.tax.toFixed(2)],
    );
    await t.db.pool.query("UPDATE bill_items SET returned_qty = returned_qty + $2, refunded_total = refunded_total + $3 WHERE id = $1", [l.id, l.quantity.toFixed(3), l.refund.toFixed(2)]);
  }
  const { rows: pay } = await t.db.pool.query<{ method: string }>("SELECT method FROM bill_payments WHERE bill_id = $1 ORDER BY position LIMIT 1", [billId]);
  await t.db.pool.query("INSERT INTO bill_return_payments (return_id, position, method, amount) VALUES ($1, 0, $2, $3)", [ret[0]!.id, pay[0]?.method ?? "CASH", refund.toFixed(2)]);
  await t.db.pool.query("UPDATE bills SET refunded_total = refunded_total + $2 WHERE id = $1", [billId, refund.toFixed(2)]);
}

