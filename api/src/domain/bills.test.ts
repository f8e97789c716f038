import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { databaseChecksum } from "../testing/checksum.ts";
import { createBill, getBill, listBills } from "./bills.ts";
import {
  IdempotencyKeyReusedError,
  InsufficientStockError,
  ItemInactiveError,
  NotFoundError,
  ValidationError,
} from "./errors.ts";
import { createItem, getItem, setItemActive, updateItem } from "./items.ts";

const t = useTestDatabase(30);

const stockOf = async (id: number) => (await getItem(t.ctx(), id)).stockQty.toFixed(3);

async function ledgerMatchesStock() {
  const { rows } = await t.db.pool.query<{ id: number; stock: string; ledger: string | null }>(
    `SELECT i.id, i.stock_qty AS stock, (SELECT sum(quantity) FROM stock_movements m WHERE m.item_id = i.id) AS ledger FROM items i`,
  );
  for (const r of rows) expect(Number(r.ledger ?? 0).toFixed(3), `item ${r.id}`).toBe(Number(r.stock).toFixed(3));
}

describe("createBill", () => {
  it("sells, snapshots prices, totals exactly and decrements stock with ledger rows", async () => {
    const sugar = await createItem(t.ctx(), { name: "Sugar", unit: "kg", unitPrice: "160", stockQty: "10" });
    const shampoo = await createItem(t.ctx(), { name: "Shampoo", unitPrice: "650", stockQty: "3" });
    const { bill, replayed } = await createBill(t.ctx(), {
      customerName: "Ali",
      storeName: "Utility Store #1",
      lines: [
        { itemId: sugar.id, quantity: 1.5 },
        { itemId: shampoo.id, quantity: "1" },
      ],
    });
    expect(replayed).toBe(false);
    expect(bill.customerName).toBe("Ali");
    expect(bill.lines.map((l) => [l.itemName, l.quantity.toFixed(3), l.unitPrice.toFixed(2), l.lineTotal.toFixed(2)])).toEqual([
      ["Sugar", "1.500", "160.00", "240.00"],
      ["Shampoo", "1.000", "650.00", "650.00"],
    ]);
    expect(bill.subtotal.toFixed(2)).toBe("890.00");
    expect(bill.totalAmount.toFixed(2)).toBe("890.00");
    expect(await stockOf(sugar.id)).toBe("8.500");
    expect(await stockOf(shampoo.id)).toBe("2.000");

    // The bill keeps the price it was sold at.
    await updateItem(t.ctx(), sugar.id, { unitPrice: "999", name: "Sugar (new)" });
    const again = await getBill(t.ctx(), bill.id);
    expect(again.lines[0]).toMatchObject({ itemName: "Sugar" });
    expect(again.lines[0]!.unitPrice.toFixed(2)).toBe("160.00");
    await ledgerMatchesStock();
  });

  it("rounds each line half-up and sums the rounded lines (3 × 0.335 kg)", async () => {
    const spice = await createItem(t.ctx(), { name: "Saffron", unit: "kg", unitPrice: "10.01", stockQty: "5" });
    const other = await createItem(t.ctx(), { name: "Cloves", unit: "kg", unitPrice: "0.30", stockQty: "5" });
    const { bill } = await createBill(t.ctx(), {
      lines: [
        { itemId: spice.id, quantity: "0.335" },
        { itemId: spice.id, quantity: "0.335" },
        { itemId: spice.id, quantity: "0.335" },
        { itemId: other.id, quantity: "0.05" },
      ],
    });
    // Duplicate lines merge: 1.005 kg × 10.01 = 10.06005 → 10.06; 0.05 × 0.30 = 0.015 → 0.02
    expect(bill.lines.map((l) => [l.quantity.toFixed(3), l.lineTotal.toFixed(2)])).toEqual([
      ["1.005", "10.06"],
      ["0.050", "0.02"],
    ]);
    expect(bill.totalAmount.toFixed(2)).toBe("10.08");
  });

  it("refuses over-quantity, unknown and inactive items, changing nothing", async () => {
    const a = await createItem(t.ctx(), { name: "Lipstick", unitPrice: "750", stockQty: "2" });
    const b = await createItem(t.ctx(), { name: "Scarf", unitPrice: "900", stockQty: "5" });
    const c = await createItem(t.ctx(), { name: "Retired", unitPrice: "1", stockQty: "5" });
    await setItemActive(t.ctx(), c.id, false);
    const before = await databaseChecksum(t.db.pool);

    const short = await createBill(t.ctx(), { lines: [{ itemId: b.id, quantity: 1 }, { itemId: a.id, quantity: "2.5" }] }).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(InsufficientStockError);
    expect(short).toMatchObject({ itemId: a.id, itemName: "Lipstick" });
    expect((short as InsufficientStockError).requested.toFixed(3)).toBe("2.500");
    expect((short as InsufficientStockError).available.toFixed(3)).toBe("2.000");

    await expect(createBill(t.ctx(), { lines: [{ itemId: b.id, quantity: 1 }, { itemId: 999999, quantity: 1 }] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(createBill(t.ctx(), { lines: [{ itemId: c.id, quantity: 1 }] })).rejects.toBeInstanceOf(ItemInactiveError);
    for (const lines of [[], "x", [{ itemId: b.id }], [{ itemId: b.id, quantity: 0 }], [{ itemId: b.id, quantity: "-1" }], [{ itemId: b.id, quantity: "NaN" }], [{ itemId: b.id, quantity: "Infinity" }], [{ itemId: b.id, quantity: "1e3" }], [{ itemId: b.id, quantity: "0.0001" }], [{ itemId: "abc", quantity: 1 }], [{ itemId: 1.5, quantity: 1 }], [null]]) {
      await expect(createBill(t.ctx(), { lines }), JSON.stringify(lines)).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(createBill(t.ctx(), { customerName: "x".repeat(1000), lines: [{ itemId: b.id, quantity: 1 }] })).rejects.toBeInstanceOf(ValidationError);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("returns the original bill for a retried idempotency key and refuses a different body", async () => {
    const soap = await createItem(t.ctx(), { name: "Soap", unitPrice: "120", stockQty: "10" });
    const input = { idempotencyKey: "counter-1-0001", customerName: "Sara", lines: [{ itemId: soap.id, quantity: 2 }] };
    const first = await createBill(t.ctx(), input);
    const retry = await createBill(t.ctx(), { ...input, lines: [{ itemId: soap.id, quantity: "2.000" }] });
    expect(retry.replayed).toBe(true);
    expect(retry.bill.id).toBe(first.bill.id);
    expect(retry.bill.totalAmount.toFixed(2)).toBe("240.00");
    expect(await stockOf(soap.id)).toBe("8.000");
    const other = await createBill(t.ctx(), { ...input, lines: [{ itemId: soap.id, quantity: 3 }] }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(IdempotencyKeyReusedError);
    expect((other as IdempotencyKeyReusedError).billId).toBe(first.bill.id);
  });

  it("creates one bill when the same key races", async () => {
    const milk = await createItem(t.ctx(), { name: "Milk", unit: "liter", unitPrice: "210", stockQty: "100" });
    const input = { idempotencyKey: "race-1", lines: [{ itemId: milk.id, quantity: "1.5" }] };
    const results = await Promise.all(Array.from({ length: 12 }, () => createBill(t.ctx(), input)));
    expect(new Set(results.map((r) => r.bill.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await stockOf(milk.id)).toBe("98.500");
  });

  it("sells exactly the stock there is when many counters race for one item", async () => {
    const eggs = await createItem(t.ctx(), { name: "Eggs", unitPrice: "330", stockQty: "7.5" });
    const other = await createItem(t.ctx(), { name: "Bread", unitPrice: "100", stockQty: "1000" });
    const attempts = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        createBill(t.ctx(), {
          // alternate line order to provoke lock-order deadlocks if items were not sorted
          lines: i % 2 ? [{ itemId: eggs.id, quantity: "0.5" }, { itemId: other.id, quantity: 1 }] : [{ itemId: other.id, quantity: 1 }, { itemId: eggs.id, quantity: "0.5" }],
        }),
      ),
    );
    const ok = attempts.filter((a) => a.status === "fulfilled");
    const refused = attempts.filter((a) => a.status === "rejected");
    expect(ok).toHaveLength(15);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientStockError);
    expect(await stockOf(eggs.id)).toBe("0.000");
    expect(await stockOf(other.id)).toBe("985.000");
    await ledgerMatchesStock();
  });
});

describe("listBills", () => {
  it("lists newest first with date ranges and cursors", async () => {
    const item = await createItem(t.ctx(), { name: "Matches", unitPrice: "10", stockQty: "100" });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: 1 }] })).bill.id);
    await t.db.pool.query("UPDATE bills SET created_at = '2020-01-15T12:00:00Z' WHERE id = $1", [ids[0]]);

    const page = await listBills(t.ctx(), { first: 2 });
    expect(page.nodes.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    const next = await listBills(t.ctx(), { first: 2, after: page.endCursor });
    expect(next.nodes[0]!.id).not.toBe(ids[1]);

    const jan = await listBills(t.ctx(), { from: "2020-01-15", to: "2020-01-15" });
    expect(jan.nodes.map((b) => b.id)).toEqual([ids[0]]);
    await expect(listBills(t.ctx(), { from: "2020-02-31" })).rejects.toBeInstanceOf(ValidationError);
    await expect(listBills(t.ctx(), { from: "2021-01-01", to: "2020-01-01" })).rejects.toBeInstanceOf(ValidationError);
    await expect(getBill(t.ctx(), 424242)).rejects.toBeInstanceOf(NotFoundError);
  });
});
