import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { InsufficientStockError, NotFoundError, ValidationError } from "./errors.ts";
import { createItem, getItem } from "./items.ts";
import { adjustStock, countStock, listMovements } from "./stock.ts";

const t = useTestDatabase();

describe("stock", () => {
  it("adjusts by signed deltas with reasons and records each in the ledger", async () => {
    const flour = await createItem(t.ctx(), { name: "Flour", unit: "kg", unitPrice: "120", stockQty: "10" });
    const up = await adjustStock(t.ctx(), { itemId: flour.id, delta: "25", note: "supplier delivery" });
    expect(up.item.stockQty.toFixed(3)).toBe("35.000");
    const down = await adjustStock(t.ctx(), { itemId: flour.id, delta: "-0.75", reason: "adjustment", note: "spilled" });
    expect(down.item.stockQty.toFixed(3)).toBe("34.250");
    const moves = await listMovements(t.ctx(), flour.id);
    expect(moves.map((m) => [m.reason, m.quantity.toFixed(3), m.stockAfter.toFixed(3)])).toEqual([
      ["ADJUSTMENT", "-0.750", "34.250"],
      ["RESTOCK", "25.000", "35.000"],
      ["RESTOCK", "10.000", "10.000"],
    ]);
  });

  it("never goes below zero and says how much is there", async () => {
    const oil = await createItem(t.ctx(), { name: "Oil", unit: "liter", unitPrice: "500", stockQty: "2" });
    const err = await adjustStock(t.ctx(), { itemId: oil.id, delta: "-2.5" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect((err as InsufficientStockError).available.toFixed(3)).toBe("2.000");
    expect((await getItem(t.ctx(), oil.id)).stockQty.toFixed(3)).toBe("2.000");
    expect(await listMovements(t.ctx(), oil.id)).toHaveLength(1);
  });

  it("sets a counted quantity and records the difference", async () => {
    const tea = await createItem(t.ctx(), { name: "Tea", unitPrice: "450", stockQty: "36" });
    const change = await countStock(t.ctx(), { itemId: tea.id, countedQty: "33", note: "shelf count" });
    expect(change.delta.toFixed(3)).toBe("-3.000");
    expect(change.item.stockQty.toFixed(3)).toBe("33.000");
    expect((await listMovements(t.ctx(), tea.id))[0]).toMatchObject({ reason: "COUNT", note: "shelf count" });
  });

  it("rejects bad adjustments clearly", async () => {
    const salt = await createItem(t.ctx(), { name: "Salt", unitPrice: "60", stockQty: "5" });
    await expect(adjustStock(t.ctx(), { itemId: salt.id, delta: "0" })).rejects.toBeInstanceOf(ValidationError);
    await expect(adjustStock(t.ctx(), { itemId: salt.id, delta: "1", reason: "sale" })).rejects.toBeInstanceOf(ValidationError);
    await expect(adjustStock(t.ctx(), { itemId: salt.id, delta: "999999999" })).rejects.toBeInstanceOf(ValidationError);
    await expect(adjustStock(t.ctx(), { itemId: 987654, delta: "1" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(countStock(t.ctx(), { itemId: salt.id, countedQty: "-1" })).rejects.toBeInstanceOf(ValidationError);
    expect((await getItem(t.ctx(), salt.id)).stockQty.toFixed(3)).toBe("5.000");
  });
});
