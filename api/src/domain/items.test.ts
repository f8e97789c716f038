import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { databaseChecksum } from "../testing/checksum.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { SEARCH_COLLECT_LIMIT, createItem, getItem, listCategories, listItems, searchSql, searchSqlParams, setItemActive, updateItem, type Item } from "./items.ts";
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

  it("ranks a search for a counter: exact SKU, name starts, a word starts, any other match — A–Z within each", async () => {
    const add = (name: string, sku?: string) => createItem(t.ctx(), { name, unitPrice: "1", ...(sku ? { sku } : {}) });
    const kettle = await add("Kettle", "KIWI");
    const jam1 = await add("Kiwi Jam");
    const jam2 = await add("kiwi jam"); // same sort name: the id breaks the tie
    const old = await add("Kiwi Jam", "KJ-OLD");
    await setItemActive(t.ctx(), old.id, false);
    await add("KIWIFRUIT");
    await add("Green Kiwi");
    await add("dried kiwi slices");
    await add("Pekiwis");
    await add("Mug", "XKIWI9");
    const names = async (search: string, extra = {}) => (await listItems(t.ctx(), { search, ...extra })).nodes.map((i) => i.name);

    expect(await names("KIWI")).toEqual(["Kettle", "Kiwi Jam", "kiwi jam", "KIWIFRUIT", "dried kiwi slices", "Green Kiwi", "Pekiwis"]);
    expect((await listItems(t.ctx(), { search: "KIWI" })).nodes.slice(1, 3).map((i) => i.id)).toEqual([jam1.id, jam2.id]);
    // Lower case is not the exact SKU: Kettle is then just another match (its SKU
    // starts with the term, any case); an SKU matches by its start only (not Mug's XKIWI9).
    expect(await names("kiwi")).toEqual(["Kiwi Jam", "kiwi jam", "KIWIFRUIT", "dried kiwi slices", "Green Kiwi", "Kettle", "Pekiwis"]);
    expect(await names("kiwi", { includeInactive: true })).toEqual(["Kiwi Jam", "kiwi jam", "Kiwi Jam", "KIWIFRUIT", "dried kiwi slices", "Green Kiwi", "Kettle", "Pekiwis"]);
    expect(await names("xkiw")).toEqual(["Mug"]);
    // One or two characters match the starts of names and words only, not the middle of a word.
    expect(await names("ki")).toEqual(["Kiwi Jam", "kiwi jam", "KIWIFRUIT", "dried kiwi slices", "Green Kiwi"]);
    expect(await names("wi")).toEqual([]);
    expect(await names("XKIWI9")).toEqual(["Mug"]);
    expect(await names("kettle")).toEqual(["Kettle"]);
    // A plain listing stays A–Z; its cursors and a search's are not interchangeable.
    const listing = await listItems(t.ctx(), { first: 1 });
    await expect(listItems(t.ctx(), { search: "kiwi", after: listing.endCursor })).rejects.toBeInstanceOf(ValidationError);
    const searched = await listItems(t.ctx(), { search: "kiwi", first: 1 });
    await expect(listItems(t.ctx(), { after: searched.endCursor })).rejects.toBeInstanceOf(ValidationError);
    expect(kettle.sku).toBe("KIWI");
  });

  it("pages a ranked search across group boundaries, with ties, whether a group is collected or walked", async () => {
    // The expected order, computed from every row with the rules of the ranking.
    const rankOf = (item: Pick<Item, "name" | "sku">, term: string): number | undefined => {
      const name = item.name.toLowerCase();
      const t2 = term.toLowerCase();
      if (item.sku === term) return 0;
      if (name.startsWith(t2)) return 1;
      if (name.includes(` ${t2}`)) return 2;
      if ([...term].length >= 3 && (name.includes(t2) || (item.sku ?? "").toLowerCase().startsWith(t2))) return 3;
      return undefined;
    };
    const expected = async (term: string) => {
      const { rows } = await t.db.pool.query<{ id: number; name: string; sku: string | null }>("SELECT id, name, sku FROM items WHERE is_active");
      return rows
        .map((r) => ({ ...r, g: rankOf(r, term), k: r.name.toLowerCase() }))
        .filter((r) => r.g !== undefined)
        .sort((a, b) => a.g! - b.g! || (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id - b.id))
        .map((r) => r.id);
    };
    const paged = async (search: string, first: number) => {
      const ids: number[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await listItems(t.ctx(), { search, first, after });
        ids.push(...page.nodes.map((i) => i.id));
        if (!page.hasNextPage) return ids;
        after = page.endCursor;
      }
      throw new Error("no last page");
    };
    const check = async (terms: string[], sizes: number[]) => {
      for (const term of terms) {
        const want = await expected(term);
        expect(want.length).toBeGreaterThan(0);
        for (const first of sizes) expect(await paged(term, first), `"${term}" by ${first}`).toEqual(want);
      }
    };
    for (const [name, sku] of [["Plum", "PLUM"], ["Plum Cake", undefined], ["plum cake", undefined], ["Plum Cake", undefined], ["Red Plum", undefined], ["red plum", undefined], ["Sweet plums", undefined], ["Applum", undefined], ["Box", "ZPLUM1"], ["Box", "ZPLUM2"]] as const) {
      await createItem(t.ctx(), { name, unitPrice: "1", ...(sku ? { sku } : {}) });
    }
    await check(["PLUM", "plum", "pl", "zplum"], [1, 2, 3, 50]);

    // Enough word matches that the word group walks the A–Z index instead.
    const n = SEARCH_COLLECT_LIMIT + 150;
    await t.db.pool.query(
      `INSERT INTO items (name, category, unit, unit_price, stock_qty, sku)
       SELECT (ARRAY['Crate ', 'crate ', 'Box '])[1 + g % 3] || lpad((g % 700)::text, 4, '0') || ' plum', 'Bulk', 'piece', 1, 0, 'BULK' || g FROM generate_series(1, $1::int) g`,
      [n],
    );
    await t.db.pool.query("ANALYZE items");
    await check(["plum", "PLUM"], [200]);
    expect((await listItems(t.ctx(), { search: "plum", first: 200 })).nodes.slice(0, 4).map((i) => i.name)).toEqual(["Plum", "Plum Cake", "plum cake", "Plum Cake"]);
  });

  it("finds a word start at every position of a name through the word indexes, as the ranking rules say", async () => {
    // Words at positions 2..9 (past the indexed ones too), a double space, the word
    // twice in one name, a longer term sharing the first three letters, a term with
    // a space, and a space among the first three characters (no word index then).
    const names = [
      "Tea",
      "teapot",
      "Lipton Tea",
      "Lipton tea Tea Gold",
      "A B Tea",
      "A B C Teapot",
      "A B C D tea bags",
      "A B C D E Tea",
      "A B C D E F Tea",
      "A B C D E F G H Teak Tray",
      "A B  tea double space",
      "Green Tea 50g",
      "Steam Iron",
      "Oolong",
      "a bc tea",
      "x a bc",
    ];
    for (const name of names) await createItem(t.ctx(), { name, unitPrice: "1" });
    const { rows } = await t.db.pool.query<{ id: number; name: string }>("SELECT id, name FROM items WHERE is_active");
    const rank = (name: string, term: string) => {
      const [n, q] = [name.toLowerCase(), term.toLowerCase()];
      return n.startsWith(q) ? 1 : n.includes(` ${q}`) ? 2 : n.includes(q) ? 3 : undefined;
    };
    for (const term of ["tea", "TEA", "teap", "teak", "tea bags", "a b", "a bc", "c teapot", "f tea"]) {
      const want = rows
        .map((r) => ({ ...r, g: rank(r.name, term), k: r.name.toLowerCase() }))
        .filter((r) => r.g !== undefined)
        .sort((a, b) => a.g! - b.g! || (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id - b.id))
        .map((r) => r.name);
      expect(want.length, term).toBeGreaterThan(0);
      for (const first of [1, 2, 50]) {
        const got: string[] = [];
        let after: string | null = null;
        do {
          const page = await listItems(t.ctx(), { search: term, first, after });
          got.push(...page.nodes.map((i) => i.name));
          after = page.hasNextPage ? page.endCursor : null;
        } while (after);
        expect(got, `"${term}" by ${first}`).toEqual(want);
      }
    }
    // The query's word conditions are the migration's index expressions (on a table
    // this small the planner would rather read it all, so only index scans are allowed here).
    const params: string[] = [];
    const sql = searchSql("is_active", searchSqlParams("tea", 0, (v) => `$${params.push(v)}`), 51)!;
    const client = await t.db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off");
      const { rows: plan } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) ${sql}`, params);
      const used = plan.map((r) => /Index (?:Only )?Scan using (items_\w+)/.exec(r["QUERY PLAN"])?.[1]).filter(Boolean);
      expect(used).toEqual(expect.arrayContaining([2, 3, 4, 5, 6].map((k) => `items_word${k}_idx`).concat("items_long_name_idx")));
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("walks a term the statistics call common without probing it, and probes a rare one, with the same ranked pages", async () => {
    const n = SEARCH_COLLECT_LIMIT + 150;
    await t.db.pool.query(
      `INSERT INTO items (name, category, unit, unit_price, stock_qty, sku)
       SELECT (ARRAY['Crate ', 'Box '])[1 + g % 2] || lpad(g::text, 5, '0') || CASE WHEN g % 500 = 0 THEN ' Quince' ELSE ' Milk' END, 'Bulk', 'piece', 1, 0, 'DAIRY' || g FROM generate_series(1, $1::int) g`,
      [n],
    );
    await t.db.pool.query("ANALYZE items");
    const estimate = async (pattern: string) => (await t.db.pool.query<{ matches: number; total: number }>("SELECT * FROM item_name_match_estimate($1)", [pattern])).rows[0]!;
    const milk = await estimate("%ilk%");
    expect(milk.total).toBeGreaterThanOrEqual(n * 0.9);
    expect(milk.matches).toBeGreaterThan(SEARCH_COLLECT_LIMIT);
    expect((await estimate("%uinc%")).matches).toBeLessThan(SEARCH_COLLECT_LIMIT);
    // Which side ran: the trigram probe (CTE any_candidates) is never executed for the common term.
    const probeRan = async (term: string) => {
      const params: string[] = [];
      const sql = searchSql("is_active", searchSqlParams(term, 0, (v) => `$${params.push(v)}`), 21)!;
      const { rows } = await t.db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`, params);
      const plan = rows.map((r) => r["QUERY PLAN"]);
      return !/never executed/.test(plan[plan.findIndex((l) => l.includes("CTE any_candidates")) + 1]!);
    };
    expect(await probeRan("ilk")).toBe(false);
    expect(await probeRan("uinc")).toBe(true);
    // Either way the pages hold every match in rank order (here: names that hold the term mid-word, A–Z).
    const { rows: all } = await t.db.pool.query<{ id: number; name: string; sku: string | null }>("SELECT id, name, sku FROM items WHERE is_active");
    for (const term of ["ilk", "uinc"]) {
      const rank = (r: { name: string; sku: string | null }) => {
        const name = r.name.toLowerCase();
        return r.sku === term ? 0 : name.startsWith(term) ? 1 : name.includes(` ${term}`) ? 2 : name.includes(term) || (r.sku ?? "").toLowerCase().startsWith(term) ? 3 : undefined;
      };
      const want = all
        .map((r) => ({ id: r.id, g: rank(r), k: r.name.toLowerCase() }))
        .filter((r) => r.g !== undefined)
        .sort((a, b) => a.g! - b.g! || (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id - b.id))
        .map((r) => r.id);
      const got: number[] = [];
      let after: string | null = null;
      do {
        const page = await listItems(t.ctx(), { search: term, first: 100, after });
        got.push(...page.nodes.map((i) => i.id));
        after = page.hasNextPage ? page.endCursor : null;
      } while (after);
      expect(got.length, term).toBeGreaterThanOrEqual(term === "ilk" ? n - n / 500 : n / 500 - 1);
      expect(got, term).toEqual(want);
    }
  });

  it("deactivates and reactivates", async () => {
    const item = await createItem(t.ctx(), { name: "Old Soap", unitPrice: "50" });
    expect((await setItemActive(t.ctx(), item.id, false)).isActive).toBe(false);
    expect((await listItems(t.ctx(), { search: "Old Soap" })).nodes).toHaveLength(0);
    expect((await setItemActive(t.ctx(), item.id, true)).isActive).toBe(true);
    expect((await listItems(t.ctx(), { search: "Old Soap" })).nodes).toHaveLength(1);
  });
});
