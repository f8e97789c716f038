import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { createBill, getBill } from "./bills.ts";
import { ValidationError } from "./errors.ts";
import { createItem, getItem, updateItem } from "./items.ts";
import { adjustStock, countStock } from "./stock.ts";
import { listLowStock, listStockAlerts, reorderSuggestions, setCategoryDefault } from "./thresholds.ts";

const t = useTestDatabase(5);

const openAlerts = async (itemId: number) => (await t.db.pool.query("SELECT * FROM stock_alerts WHERE item_id = $1 ORDER BY id", [itemId])).rows;

describe("thresholds", () => {
  it("an item's reorder point is its own, else its category's default, else 5", async () => {
    const own = await createItem(t.ctx(), { name: "Own point", category: "Dairy", unitPrice: "1", stockQty: "20", reorderPoint: "12", reorderQty: "30" });
    const cat = await createItem(t.ctx(), { name: "Category point", category: "Dairy", unitPrice: "1", stockQty: "20" });
    const plain = await createItem(t.ctx(), { name: "Default point", category: "Misc", unitPrice: "1", stockQty: "20" });
    expect(own.lowStockAt!.toFixed(3)).toBe("12.000");
    expect(cat.lowStockAt!.toFixed(3)).toBe("5.000");
    expect(plain.lowStockAt!.toFixed(3)).toBe("5.000");
    await setCategoryDefault(t.ctx(), { category: "dairy", reorderPoint: "8", reorderQty: "24" });
    expect((await getItem(t.ctx(), cat.id)).lowStockAt!.toFixed(3)).toBe("8.000");
    expect((await getItem(t.ctx(), own.id)).lowStockAt!.toFixed(3)).toBe("12.000");
    // Clearing the item's own value brings the category's default back.
    expect((await updateItem(t.ctx(), own.id, { reorderPoint: null })).lowStockAt!.toFixed(3)).toBe("8.000");
    await expect(updateItem(t.ctx(), own.id, { reorderPoint: "-1", reorderQty: "0", unitCost: "x" })).rejects.toMatchObject({
      fieldErrors: [expect.objectContaining({ path: ["reorderPoint"] }), expect.objectContaining({ path: ["reorderQty"] }), expect.objectContaining({ path: ["unitCost"] })],
    });
    await expect(setCategoryDefault(t.ctx(), { category: "", reorderPoint: "1" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("the low-stock list applies a category default the moment it changes, as item_reorder_point() does", async () => {
    const milk = await createItem(t.ctx(), { name: "Milk", category: "Chilled", unitPrice: "1", stockQty: "7" });
    const cream = await createItem(t.ctx(), { name: "Cream", category: "chilled", unitPrice: "1", stockQty: "7", reorderPoint: "6" });
    const ids = async () => (await listLowStock(t.ctx(), { category: "Chilled" })).map((i) => i.id);
    /** The same list by the per-item rule, to show the joined defaults decide alike. */
    const perItem = async () =>
      (await t.db.pool.query<{ id: number }>("SELECT id FROM items WHERE is_active AND lower(category) = 'chilled' AND stock_qty <= item_reorder_point(reorder_point, category) ORDER BY lower(name), id")).rows.map((r) => r.id);
    expect(await ids()).toEqual([]);
    await setCategoryDefault(t.ctx(), { category: "CHILLED", reorderPoint: "8" });
    expect(await ids()).toEqual([milk.id]); // Cream keeps its own point, 6
    expect(await perItem()).toEqual([milk.id]);
    await setCategoryDefault(t.ctx(), { category: "chilled", reorderPoint: "6.5" });
    expect(await ids()).toEqual([]);
    await setCategoryDefault(t.ctx(), { category: "chilled", reorderPoint: "7" });
    expect((await listLowStock(t.ctx(), { category: "Chilled" })).map((i) => [i.id, i.lowStockAt!.toFixed(3)])).toEqual([[milk.id, "7.000"]]);
    await updateItem(t.ctx(), cream.id, { reorderPoint: null });
    expect(await ids()).toEqual([cream.id, milk.id]);
    expect(await perItem()).toEqual([cream.id, milk.id]);
    await setCategoryDefault(t.ctx(), { category: "chilled", reorderPoint: null });
    expect(await ids()).toEqual([]);
  });

  it("low stock is on hand ≤ reorder point; the purchase list says how much, by category, with costs", async () => {
    const a = await createItem(t.ctx(), { name: "Rice", category: "Grain", unit: "kg", unitPrice: "300", stockQty: "4", reorderPoint: "10", reorderQty: "50", unitCost: "250.50" });
    const b = await createItem(t.ctx(), { name: "Oats", category: "Grain", unit: "kg", unitPrice: "500", stockQty: "10", reorderPoint: "10" });
    const c = await createItem(t.ctx(), { name: "Barley", category: "Grain", unit: "kg", unitPrice: "200", stockQty: "10.001", reorderPoint: "10" });
    const low = await listLowStock(t.ctx(), { category: "grain" });
    expect(low.map((i) => i.name)).toEqual(["Oats", "Rice"]);
    const [grain] = await reorderSuggestions(t.ctx(), { category: "Grain" });
    expect(grain!.category).toBe("Grain");
    expect(grain!.lines.map((l) => [l.item.name, l.quantity.toFixed(3), l.estimatedCost?.toFixed(2) ?? null])).toEqual([
      ["Oats", "10.000", null], // no reorder quantity: up to twice the reorder point
      ["Rice", "50.000", "12525.00"],
    ]);
    expect(grain!.estimatedCost.toFixed(2)).toBe("12525.00");
    expect(grain!.linesWithoutCost).toBe(1);
    expect([a.id, b.id, c.id]).toHaveLength(3);
  });

  it("a bill line keeps the item's category and unit cost as they were at the sale", async () => {
    const soap = await createItem(t.ctx(), { name: "Soap", category: "Beauty", unitPrice: "100", stockQty: "50", unitCost: "60" });
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: soap.id, quantity: 2 }] });
    expect(bill.lines[0]).toMatchObject({ category: "Beauty" });
    expect(bill.lines[0]!.unitCost!.toFixed(2)).toBe("60.00");
    await updateItem(t.ctx(), soap.id, { category: "Hygiene", unitCost: "75" });
    const again = await getBill(t.ctx(), bill.id);
    expect(again.lines[0]).toMatchObject({ category: "Beauty" });
    expect(again.lines[0]!.unitCost!.toFixed(2)).toBe("60.00");
  });
});

describe("stock alerts", () => {
  it("one alert when a sale takes the item to its reorder point, none for the sales after; cleared when restocked", async () => {
    const sugar = await createItem(t.ctx(), { name: "Alert Sugar", unit: "kg", unitPrice: "160", stockQty: "12", reorderPoint: "5" });
    await createBill(t.ctx(), { lines: [{ itemId: sugar.id, quantity: 6 }] }); // 6 left: above
    expect(await openAlerts(sugar.id)).toEqual([]);
    await createBill(t.ctx(), { lines: [{ itemId: sugar.id, quantity: 1 }] }); // 5 left: at the point
    await createBill(t.ctx(), { lines: [{ itemId: sugar.id, quantity: "1.5" }] });
    await adjustStock(t.ctx(), { itemId: sugar.id, delta: "-1", reason: "adjustment" });
    const alerts = await openAlerts(sugar.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ item_name: "Alert Sugar", unit: "kg", stock_qty: "5.000", reorder_point: "5.000", cleared_at: null });
    expect((await listStockAlerts(t.ctx())).map((a) => a.itemId)).toContain(sugar.id);

    await adjustStock(t.ctx(), { itemId: sugar.id, delta: "20" }); // back above: cleared
    expect((await openAlerts(sugar.id)).map((a) => a.cleared_at)).toEqual([expect.any(Date)]);
    expect((await listStockAlerts(t.ctx())).map((a) => a.itemId)).not.toContain(sugar.id);

    await countStock(t.ctx(), { itemId: sugar.id, countedQty: "2" }); // down again: a second alert
    expect((await openAlerts(sugar.id)).map((a) => a.stock_qty)).toEqual(["5.000", "2.000"]);
  });

  it("a failed sale raises nothing (the alert is in the sale's transaction)", async () => {
    const oil = await createItem(t.ctx(), { name: "Alert Oil", unitPrice: "10", stockQty: "6", reorderPoint: "5" });
    const other = await createItem(t.ctx(), { name: "Alert Other", unitPrice: "10", stockQty: "1" });
    const before = (await openAlerts(oil.id)).length;
    await expect(createBill(t.ctx(), { lines: [{ itemId: oil.id, quantity: 2 }, { itemId: other.id, quantity: 5 }] })).rejects.toThrow();
    expect(await openAlerts(oil.id)).toHaveLength(before);
  });

  it("concurrent sales crossing the point together raise one alert", async () => {
    const tea = await createItem(t.ctx(), { name: "Alert Tea", unitPrice: "10", stockQty: "20", reorderPoint: "10" });
    await Promise.all(Array.from({ length: 8 }, () => createBill(t.ctx(), { lines: [{ itemId: tea.id, quantity: 2 }] })));
    expect(await openAlerts(tea.id)).toHaveLength(1);
  });
});
