// The GraphQL API over real HTTP on a real PostgreSQL: what a client sees.
import { describe, expect, it } from "vitest";
import { ARMOR_LIMITS } from "../src/graphql/limits.ts";
import { createApp } from "../src/http/server.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const api = useTestServer(30);

const ITEM = `id name sku category unit unitPrice stockQty isActive`;
const ERRORS = `__typename ... on Error { message code } ... on ValidationError { fieldErrors { path code } }`;

async function addItem(input: Record<string, unknown>) {
  const res = await api.graphql(`mutation($input: CreateItemInput!) { createItem(input: $input) { ${ERRORS} ... on CreateItemSuccess { item { ${ITEM} } } } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data.createItem;
}

async function sell(input: Record<string, unknown>) {
  const res = await api.graphql(
    `mutation($input: CreateBillInput!) { createBill(input: $input) { ${ERRORS}
      ... on CreateBillSuccess { replayed bill { id customerName storeName subtotal totalAmount lines { itemId itemName unit unitPrice quantity lineTotal } } }
      ... on InsufficientStockError { itemId itemName requested available shortages { itemName available } }
      ... on IdempotencyKeyReusedError { billId }
    } }`,
    { input },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createBill;
}

const stockOf = async (id: number) => (await api.graphql(`query($id: Int!) { item(id: $id) { stockQty } }`, { id })).data.item.stockQty;

describe("GraphQL API", () => {
  it("creates, lists, searches, updates and deactivates items", async () => {
    const sugar = (await addItem({ name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: 10, sku: "SUG" })).item;
    expect(sugar).toMatchObject({ name: "Sugar", unitPrice: "160.00", stockQty: "10.000", isActive: true });
    await addItem({ name: "Brown Sugar", category: "Grocery", unit: "kg", unitPrice: 190.5, stockQty: "3.5" });
    await addItem({ name: "Shampoo", category: "Beauty", unitPrice: "650" });

    const found = await api.graphql(`{ items(search: "sUgAr") { nodes { name } pageInfo { hasNextPage } } }`);
    // Ranked for a counter: a name starting with the term before a word inside a name.
    expect(found.data.items.nodes.map((i: { name: string }) => i.name)).toEqual(["Sugar", "Brown Sugar"]);
    expect((await api.graphql(`{ items(search: "sug") { nodes { name } } }`)).data.items.nodes).toEqual([{ name: "Sugar" }, { name: "Brown Sugar" }]);
    const byOne = await api.graphql(`{ items(search: "sugar", first: 1) { nodes { name } pageInfo { hasNextPage endCursor } } }`);
    const rest = await api.graphql(`query($after: String) { items(search: "sugar", first: 1, after: $after) { nodes { name } pageInfo { hasNextPage } } }`, { after: byOne.data.items.pageInfo.endCursor });
    expect([byOne.data.items.nodes[0].name, rest.data.items.nodes[0].name, rest.data.items.pageInfo.hasNextPage]).toEqual(["Sugar", "Brown Sugar", false]);
    const beauty = await api.graphql(`{ items(category: "Beauty") { edges { cursor node { name } } } }`);
    expect(beauty.data.items.edges).toHaveLength(1);
    const page = await api.graphql(`{ items(first: 1) { nodes { name } pageInfo { hasNextPage endCursor } } }`);
    const next = await api.graphql(`query($after: String) { items(first: 5, after: $after) { nodes { name } } }`, { after: page.data.items.pageInfo.endCursor });
    expect([...page.data.items.nodes, ...next.data.items.nodes].map((i: { name: string }) => i.name)).toEqual(["Brown Sugar", "Shampoo", "Sugar"]);
    expect((await api.graphql(`{ itemBySku(sku: "SUG") { name } }`)).data.itemBySku.name).toBe("Sugar");
    expect((await api.graphql(`{ categories { name itemCount } }`)).data.categories).toEqual([
      { name: "Beauty", itemCount: 1 },
      { name: "Grocery", itemCount: 2 },
    ]);

    const upd = await api.graphql(`mutation { updateItem(id: ${sugar.id}, input: { unitPrice: "165.50", category: "Staples" }) { ${ERRORS} ... on UpdateItemSuccess { item { unitPrice category } } } }`);
    expect(upd.data.updateItem).toEqual({ __typename: "UpdateItemSuccess", item: { unitPrice: "165.50", category: "Staples" } });

    const adj = await api.graphql(`mutation { adjustStock(input: { itemId: ${sugar.id}, delta: "-2.25", reason: ADJUSTMENT, note: "spilled" }) { ${ERRORS} ... on AdjustStockSuccess { change { delta item { stockQty movements(first: 1) { reason quantity stockAfter note } } } } } }`);
    expect(adj.data.adjustStock.change).toEqual({
      delta: "-2.250",
      item: { stockQty: "7.750", movements: [{ reason: "ADJUSTMENT", quantity: "-2.250", stockAfter: "7.750", note: "spilled" }] },
    });
    const count = await api.graphql(`mutation { countStock(input: { itemId: ${sugar.id}, countedQty: 8 }) { ... on CountStockSuccess { change { delta item { stockQty } } } } }`);
    expect(count.data.countStock.change).toEqual({ delta: "0.250", item: { stockQty: "8.000" } });

    const off = await api.graphql(`mutation { setItemActive(id: ${sugar.id}, active: false) { ... on SetItemActiveSuccess { item { isActive } } } }`);
    expect(off.data.setItemActive.item.isActive).toBe(false);
    expect((await api.graphql(`{ items(search: "sugar") { nodes { name } } }`)).data.items.nodes).toEqual([{ name: "Brown Sugar" }]);
    expect((await api.graphql(`{ items(search: "sugar", includeInactive: true) { nodes { name } } }`)).data.items.nodes).toHaveLength(2);
  });

  it("sells: decrements stock, snapshots prices and totals exactly (1.5 kg × 160.00 = 240.00)", async () => {
    const flour = (await addItem({ name: "Flour", unit: "kg", unitPrice: "160.00", stockQty: "5" })).item;
    const tea = (await addItem({ name: "Tea", unitPrice: "0.30", stockQty: "100" })).item;
    const result = await sell({ customerName: "Ali", storeName: "Utility Store #1", lines: [{ itemId: flour.id, quantity: 1.5 }, { itemId: tea.id, quantity: "0.05" }] });
    expect(result.__typename).toBe("CreateBillSuccess");
    expect(result.bill).toMatchObject({ customerName: "Ali", storeName: "Utility Store #1", subtotal: "240.02", totalAmount: "240.02" });
    expect(result.bill.lines).toEqual([
      { itemId: flour.id, itemName: "Flour", unit: "kg", unitPrice: "160.00", quantity: "1.500", lineTotal: "240.00" },
      { itemId: tea.id, itemName: "Tea", unit: "piece", unitPrice: "0.30", quantity: "0.050", lineTotal: "0.02" },
    ]);
    expect(await stockOf(flour.id)).toBe("3.500");

    const fetched = await api.graphql(`query($id: Int!) { bill(id: $id) { id totalAmount lines { itemName item { name stockQty } } } }`, { id: result.bill.id });
    expect(fetched.data.bill.lines[0]).toEqual({ itemName: "Flour", item: { name: "Flour", stockQty: "3.500" } });
    const list = await api.graphql(`{ bills(first: 10) { nodes { id totalAmount } pageInfo { hasNextPage } } }`);
    expect(list.data.bills.nodes[0]).toEqual({ id: result.bill.id, totalAmount: "240.02" });
    expect((await api.graphql(`{ bill(id: 99999) { id } }`)).data.bill).toBeNull();
  });

  it("refuses over-quantity with what is available, and changes nothing", async () => {
    const lipstick = (await addItem({ name: "Lipstick", unitPrice: "750", stockQty: "2" })).item;
    const before = await databaseChecksum(api.db.pool);
    const result = await sell({ lines: [{ itemId: lipstick.id, quantity: 3 }] });
    expect(result).toMatchObject({ __typename: "InsufficientStockError", code: "INSUFFICIENT_STOCK", itemName: "Lipstick", requested: "3.000", available: "2.000" });
    expect(result.message).toContain("only 2.000 piece available");
    expect(await databaseChecksum(api.db.pool)).toBe(before);
  });

  it("returns the same bill for a retried idempotency key", async () => {
    const soap = (await addItem({ name: "Soap", unitPrice: "120", stockQty: "50" })).item;
    const input = { idempotencyKey: "pos-7f3a", lines: [{ itemId: soap.id, quantity: 2 }] };
    const [a, b] = await Promise.all([sell(input), sell(input)]);
    expect(a.bill.id).toBe(b.bill.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await stockOf(soap.id)).toBe("48.000");
    const other = await sell({ ...input, lines: [{ itemId: soap.id, quantity: 1 }] });
    expect(other).toMatchObject({ __typename: "IdempotencyKeyReusedError", billId: a.bill.id });
  });

  it("answers bad input with clear typed errors and leaves the database unchanged", async () => {
    const item = (await addItem({ name: "Salt", unitPrice: "60", stockQty: "5" })).item;
    const before = await databaseChecksum(api.db.pool);
    const typed = [
      ["-1", "NOT_POSITIVE"],
      ["0", "NOT_POSITIVE"],
      ["NaN", "INVALID_NUMBER"],
      ["Infinity", "INVALID_NUMBER"],
      ["1e3", "INVALID_NUMBER"],
      ["0x10", "INVALID_NUMBER"],
      ["1.2345", "TOO_MANY_DECIMALS"],
      ["99999999999999999999", "TOO_LARGE"],
      ["", "INVALID_NUMBER"],
    ];
    for (const [quantity, code] of typed) {
      const r = await sell({ lines: [{ itemId: item.id, quantity }] });
      expect(r.__typename, quantity).toBe("ValidationError");
      expect(r.fieldErrors, quantity).toEqual([{ path: ["lines", "0", "quantity"], code }]);
    }
    expect((await sell({ lines: [] })).fieldErrors).toEqual([{ path: ["lines"], code: "EMPTY_BILL" }]);
    expect((await sell({ lines: [{ itemId: 0, quantity: 1 }] })).fieldErrors).toEqual([{ path: ["lines", "0", "itemId"], code: "INVALID_ID" }]);
    expect((await sell({ lines: [{ itemId: 987654, quantity: 1 }] })).__typename).toBe("NotFoundError");
    expect((await addItem({ name: "", unitPrice: "-5" })).fieldErrors).toEqual([
      { path: ["name"], code: "REQUIRED" },
      { path: ["unitPrice"], code: "NEGATIVE" },
    ]);
    expect((await addItem({ name: "x".repeat(100_000), unitPrice: "1" })).fieldErrors).toEqual([{ path: ["name"], code: "TOO_LONG" }]);

    // Wrong types are refused by GraphQL itself, with a message that names the problem.
    const wrong = await api.graphql(`mutation { createBill(input: { lines: [{ itemId: "one", quantity: 1 }] }) { __typename } }`);
    expect(wrong.errors?.[0]?.message).toMatch(/Int cannot represent/);
    const boolQty = await api.graphql(`mutation($q: Quantity!) { createBill(input: { lines: [{ itemId: 1, quantity: $q }] }) { __typename } }`, { q: true });
    expect(boolQty.errors?.[0]?.message).toMatch(/decimal number/);
    const infinity = await api.graphql(`mutation { createBill(input: { lines: [{ itemId: 1, quantity: 1e400 }] }) { __typename ... on Error { code } } }`);
    expect(infinity.data?.createBill ?? infinity.errors).toBeTruthy();
    expect(await databaseChecksum(api.db.pool)).toBe(before);
  });

  it("answers each operation of one document by its name, every time (compiled queries are kept per operation)", async () => {
    const doc = `query Cats { categories { name } } query One { items(first: 1) { nodes { name } } } query Bad { items(first: 0) { nodes { name } } }`;
    for (let i = 0; i < 2; i++) {
      expect(Object.keys((await api.graphql(doc, {}, "Cats")).data ?? {})).toEqual(["categories"]);
      expect(Object.keys((await api.graphql(doc, {}, "One")).data ?? {})).toEqual(["items"]);
      // A query whose result has errors is answered by Apollo's own executor: same masking and codes.
      const bad = await api.graphql(doc, {}, "Bad");
      expect(bad.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(bad.errors?.[0]?.extensions?.fieldErrors).toEqual([expect.objectContaining({ path: ["first"], code: "INVALID_PAGE_SIZE" })]);
    }
  });

  it("refuses abusive queries and bodies before they run", async () => {
    const reasonable = `{ bills(first: 20) { nodes { id totalAmount lines { itemName quantity lineTotal item { name stockQty } } } } }`;
    expect((await api.graphql(reasonable)).errors).toBeUndefined();
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: items(first: 200) { nodes { id name } }`).join(" ");
    const res = await api.graphql(`{ ${aliases} }`);
    expect(res.errors?.[0]?.message).toMatch(/too expensive/);
    const nested = `query { bill(id: 1) { ${"lines { ".repeat(15)} id ${"} ".repeat(15)} } }`;
    const deepErrors = (await api.graphql(nested)).errors ?? [];
    expect(deepErrors.map((e) => e.message)).toContain("Query is too deep: at most 12 levels are allowed.");

    const big = await api.fetch(`/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ items { nodes { id } } }`, pad: "x".repeat(2_000_000) }) });
    expect(big.status).toBe(413);
    const malformed = await api.fetch(`/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });

  it("limits aliases, directives and tokens (GraphQL Armor) with messages that say what to change", async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `c${i}: categories { name }`).join(" ")} }`;
    expect((await api.graphql(aliased(ARMOR_LIMITS.maxAliases))).errors).toBeUndefined();
    expect((await api.graphql(aliased(ARMOR_LIMITS.maxAliases + 1))).errors?.map((e) => e.message)).toEqual([
      `Too many aliases: at most ${ARMOR_LIMITS.maxAliases} are allowed in one query.`,
    ]);
    const directives = `{ categories { ${Array.from({ length: ARMOR_LIMITS.maxDirectives + 1 }, (_, i) => `n${i % 20}: name @skip(if: false)`).join(" ")} } }`;
    expect((await api.graphql(directives)).errors?.map((e) => e.message)).toContain(`Too many directives: at most ${ARMOR_LIMITS.maxDirectives} are allowed in one query.`);
    // Refused while parsing, before the document is even built.
    const tokens = await fetch(`${api.base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ categories { ${"name ".repeat(ARMOR_LIMITS.maxTokens)} } }` }) });
    expect(tokens.status).toBe(400);
    expect(((await tokens.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(`Document contains more that ${ARMOR_LIMITS.maxTokens} tokens`);
  });

  it("hides field suggestions when introspection is off", async () => {
    const typo = { query: "{ categoriez { name } }" };
    const withIntrospection = (await api.graphql(typo.query)).errors?.[0]?.message;
    expect(withIntrospection).toMatch(/Did you mean "categories"/);
    const app = await createApp({ db: api.db, env: { introspection: false, STORELITE_MAX_BODY_BYTES: 1_000_000 }, log: () => {} });
    const base = await app.listen(0, "127.0.0.1");
    try {
      const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(typo) });
      const message = ((await res.json()) as { errors: { message: string }[] }).errors[0]!.message;
      expect(message).toMatch(/Cannot query field "categoriez"/);
      expect(message).not.toMatch(/categories/);
    } finally {
      await app.close();
    }
  });

  it("masks internal errors", async () => {
    // Break the database under the server: the client gets a plain message, no SQL details.
    await api.db.pool.query("ALTER TABLE items RENAME COLUMN sku TO sku_renamed");
    try {
      const res = await api.graphql(`{ items { nodes { id } } }`);
      expect(res.errors).toEqual([{ message: "Internal server error", path: ["items"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
    } finally {
      await api.db.pool.query("ALTER TABLE items RENAME COLUMN sku_renamed TO sku");
    }
  });
});
