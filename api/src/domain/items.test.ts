import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { databaseChecksum } from "../testing/checksum.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { createItem, getItem, listCategories, listItems, setItemActive, updateItem } from "./items.ts";
import { listMovements } from "./stock.ts";

const t = useTestDatabase();

async function fieldErrors(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).fieldErrors.map((f) => `${f.path.join(".")}:${f.code}`);
}

describe("items", () => {
  it("creates an item with exact decimals and an opening-stock ledger row", async () => {
    const item = await createItem(t.ctx(), { name: "  Sugar ", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "10.5", sku: "SUG-1" });
    expect(item).toMatchObject({ name: "Sugar", category: "Grocery", unit: "kg", sku: "SUG-1", isActive: true });
    expect(item.unitPrice.toFixed(2)).toBe("160.00");
    expect(item.stockQty.toFixed(3)).toBe("10.500");
    const moves = await listMovements(t.ctx(), item.id);
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ reason: "RESTOCK", note: "Opening stock" });
    expect(moves[0]!.quantity.toFixed(3)).toBe("10.500");
  });

  it("rejects bad input with every problem named, writing nothing", async () => {
    const before = await databaseChecksum(t.db.pool);
    expect(await fieldErrors(createItem(t.ctx(), { name: " ", unitPrice: "-1", stockQty: "1.2345" }))).toEqual([
      "name:REQUIRED",
      "unitPrice:NEGATIVE",
      "stockQty:TOO_MANY_DECIMALS",
    ]);
    expect(await fieldErrors(createItem(t.ctx(), { name: "X", unitPrice: "NaN" }))).toEqual(["unitPrice:INVALID_NUMBER"]);
    expect(await fieldErrors(createItem(t.ctx(), { name: "X", unitPrice: "1e3" }))).toEqual(["unitPrice:INVALID_NUMBER"]);
    expect(await fieldErrors(createItem(t.ctx(), { name: "X", unitPrice: "10000000000" }))).toEqual(["unitPrice:TOO_LARGE"]);
    expect(await fieldErrors(createItem(t.ctx(), { name: "x".repeat(500), unitPrice: 1 }))).toEqual(["name:TOO_LONG"]);
    expect(await fieldErrors(createItem(t.ctx(), { name: 42, unitPrice: 1 }))).toEqual(["name:INVALID_TYPE"]);
    expect(await fieldErrors(createItem(t.ctx(), { name: "X", unitPrice: 1, sku: "has space" }))).toEqual(["sku:INVALID_FORMAT"]);
    expect(await fieldErrors(createItem(t.ctx(), { name: "Other sugar", unitPrice: 1, sku: "SUG-1" }))).toEqual(["sku:DUPLICATE"]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("updates price, name, category and unit; unknown ids are not found", async () => {
    const item = await createItem(t.ctx(), { name: "Rice", unitPrice: "300", unit: "kg" });
    const updated = await updateItem(t.ctx(), item.id, { unitPrice: "320.50", name: "Basmati Rice", category: "Grocery" });
    expect(updated).toMatchObject({ name: "Basmati Rice", category: "Grocery", unit: "kg" });
    expect(updated.unitPrice.toFixed(2)).toBe("320.50");
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(item.updatedAt.getTime());
    await expect(updateItem(t.ctx(), 999999, { name: "x" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getItem(t.ctx(), 999999)).rejects.toBeInstanceOf(NotFoundError);
    expect(await fieldErrors(updateItem(t.ctx(), item.id, { unitPrice: "abc", name: "" }))).toEqual(["name:REQUIRED", "unitPrice:INVALID_NUMBER"]);
  });

  it("changes details, active flag and a stock count together, or nothing", async () => {
    const item = await createItem(t.ctx(), { name: "Ghee", unit: "kg", unitPrice: "1400", stockQty: "5" });
    const before = await databaseChecksum(t.db.pool);
    expect(await fieldErrors(updateItem(t.ctx(), item.id, { name: "Desi Ghee", isActive: false, countedQty: "-2" }))).toEqual(["countedQty:NEGATIVE"]);
    expect(await fieldErrors(updateItem(t.ctx(), item.id, { isActive: "no" }))).toEqual(["isActive:INVALID_TYPE"]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const updated = await updateItem(t.ctx(), item.id, { name: "Desi Ghee", isActive: false, countedQty: "4.5", countNote: "shelf count" });
    expect(updated).toMatchObject({ name: "Desi Ghee", isActive: false });
    expect(updated.stockQty.toFixed(3)).toBe("4.500");
    const [count] = await listMovements(t.ctx(), item.id);
    expect(count).toMatchObject({ reason: "COUNT", note: "shelf count" });
    expect(count!.quantity.toFixed(3)).toBe("-0.500");
  });

  it("lists A–Z with search, category, inactive and cursor pagination", async () => {
    const names = ["banana chips", "Apple Juice", "Cherry Jam", "apple pie", "Dates"];
    const ids: number[] = [];
    for (const name of names) ids.push((await createItem(t.ctx(), { name, category: "Snacks", unitPrice: "1" })).id);
    await setItemActive(t.ctx(), ids[4]!, false);

    const page1 = await listItems(t.ctx(), { category: "snacks", first: 2 });
    expect(page1.nodes.map((i) => i.name)).toEqual(["Apple Juice", "apple pie"]);
    expect(page1.hasNextPage).toBe(true);
    const page2 = await listItems(t.ctx(), { category: "Snacks", first: 2, after: page1.endCursor });
    expect(page2.nodes.map((i) => i.name)).toEqual(["banana chips", "Cherry Jam"]);
    expect(page2.hasNextPage).toBe(false);

    expect((await listItems(t.ctx(), { search: "APPLE" })).nodes.map((i) => i.name)).toEqual(["Apple Juice", "apple pie"]);
    expect((await listItems(t.ctx(), { search: "dates" })).nodes).toHaveLength(0);
    expect((await listItems(t.ctx(), { search: "dates", includeInactive: true })).nodes.map((i) => i.isActive)).toEqual([false]);
    expect((await listItems(t.ctx(), { search: "%" })).nodes).toHaveLength(0); // wildcards are literal
    await expect(listItems(t.ctx(), { after: "not-a-cursor" })).rejects.toBeInstanceOf(ValidationError);
    await expect(listItems(t.ctx(), { first: 0 })).rejects.toBeInstanceOf(ValidationError);

    const categories = await listCategories(t.ctx());
    expect(categories.find((c) => c.name === "Snacks")?.itemCount).toBe(4);
  });

  it("deactivates and reactivates", async () => {
    const item = await createItem(t.ctx(), { name: "Old Soap", unitPrice: "50" });
    expect((await setItemActive(t.ctx(), item.id, false)).isActive).toBe(false);
    expect((await listItems(t.ctx(), { search: "Old Soap" })).nodes).toHaveLength(0);
    expect((await setItemActive(t.ctx(), item.id, true)).isActive).toBe(true);
    expect((await listItems(t.ctx(), { search: "Old Soap" })).nodes).toHaveLength(1);
  });
});
