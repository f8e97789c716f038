// The MCP server through the SDK's own client over the in-memory transport,
// with operations executed in-process on a fresh PostgreSQL database.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "@storelite/api/graphql/schema";
import { systemActor } from "@storelite/api/domain/access";
import { connectDatabase } from "@storelite/api/db/database";
import { databaseChecksum } from "@storelite/api/testing/checksum";
import { ownerApiToken, useTestDatabase } from "@storelite/api/testing/fixtures";
import { inProcessExecutor } from "../src/executor.ts";
import { buildServer, type BuildServerOptions } from "../src/tools.ts";
import { QUERY_TOOLS, call, checkToolList, exerciseEveryTool, ok, refused, stockOf, text } from "./scenarios.ts";

const t = useTestDatabase();
const clients: Client[] = [];
let token = "";

async function connect(options: Partial<BuildServerOptions> = {}) {
  token ||= await ownerApiToken(t.db);
  const server = buildServer({ executor: inProcessExecutor({ schema, db: t.db, token }), log: () => {}, ...options });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "storelite-test", version: "1.0.0" });
  await client.connect(clientSide);
  await client.listTools();
  clients.push(client);
  return client;
}

let client: Client;
beforeAll(async () => {
  client = await connect();
});
afterAll(async () => {
  for (const c of clients) await c.close();
});

describe("MCP tools over the in-memory transport", () => {
  it("lists one tool per operation, with schemas, descriptions and annotations", async () => {
    const tools = await checkToolList(client);
    const list = tools.find((t) => t.name === "inventory_list_items")!;
    expect(list.description).toMatch(/^Find items in the catalogue/);
    expect(list.inputSchema.properties).toMatchObject({
      search: { type: "string", description: expect.stringContaining("Part of the item's name") },
      low_stock_below: { type: ["string", "number"], description: expect.stringContaining("decimal") },
      include_inactive: { type: "boolean", default: false },
      first: { type: "integer", default: 20 },
    });
    expect(list.inputSchema.required ?? []).toEqual([]);
    const update = tools.find((t) => t.name === "inventory_update_item")!;
    expect(update.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    expect(update.inputSchema.required).toEqual(["item_id"]);
  });

  it("calls every tool and the effects are in PostgreSQL", async () => {
    await exerciseEveryTool(client, t.db.pool);
  });

  it("exposes no write tool that is not allow-listed", async () => {
    const readOnly = await connect({ mutations: [] });
    const { tools } = await readOnly.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(QUERY_TOOLS);
    const billsOnly = await connect({ mutations: ["billing_create_bill"] });
    expect((await billsOnly.listTools()).tools.filter((t) => !QUERY_TOOLS.includes(t.name)).map((t) => t.name)).toEqual(["billing_create_bill"]);
    const refusedCall = await call(readOnly, "inventory_add_item", { name: "X", unit_price: 1 });
    expect(refused(refusedCall)).toMatch(/inventory_add_item not found/);
  });

  it("pages through items with first/after", async () => {
    for (const name of ["Page A", "Page B", "Page C"]) ok(await call(client, "inventory_add_item", { name, unit_price: 1, category: "Paging" }));
    const first = ok(await call(client, "inventory_list_items", { category: "Paging", first: 2 })).items;
    expect(first.nodes.map((n: { name: string }) => n.name)).toEqual(["Page A", "Page B"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await call(client, "inventory_list_items", { category: "Paging", first: 2, after: first.pageInfo.endCursor });
    expect(ok(second).items.nodes.map((n: { name: string }) => n.name)).toEqual(["Page C"]);
    expect(text(second)).toMatch(/^items: 1 on this page\.\n\{/);
    expect(text(await call(client, "inventory_list_items", { category: "Paging", first: 2 }))).toContain(`call again with after "${first.pageInfo.endCursor}"`);
  });

  it("replays a bill sent again with the same idempotency key, and refuses the key for a different bill", async () => {
    const id = ok(await call(client, "inventory_add_item", { name: "Rice", unit: "kg", unit_price: "350", stock_qty: 10 })).createItem.item.id;
    const args = { customer_name: "Sara", items: [{ item_id: id, quantity: 2 }], idempotency_key: "retry-1" };
    const first = ok(await call(client, "billing_create_bill", args)).createBill;
    const again = ok(await call(client, "billing_create_bill", args)).createBill;
    expect(again).toMatchObject({ replayed: true, bill: { id: first.bill.id } });
    expect(await stockOf(t.db.pool, id)).toBe("8.000");
    const before = await databaseChecksum(t.db.pool);
    const other = await call(client, "billing_create_bill", { ...args, items: [{ item_id: id, quantity: 3 }] });
    expect(refused(other)).toMatch(/Idempotency key "retry-1" was already used for bill \d+/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("turns typed failures into isError results an assistant can act on", async () => {
    const before = await databaseChecksum(t.db.pool);
    expect(refused(await call(client, "inventory_update_item", { item_id: 999_999, name: "Ghost" }))).toBe("Item 999999 does not exist. Nothing was changed.");
    expect(refused(await call(client, "billing_create_bill", { items: [{ item_id: 999_999, quantity: 1 }] }))).toMatch(/999999/);
    const invalid = refused(await call(client, "inventory_add_item", { name: "", unit_price: "-5" }));
    expect(invalid).toMatch(/^Invalid input: /);
    expect(invalid).toMatch(/name: /);
    expect(invalid).toMatch(/unit_price: /);
    const stock = await call(client, "inventory_list_items", {});
    expect(stock.isError).toBeFalsy();
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const soap = ok(await call(client, "inventory_add_item", { name: "Soap", unit_price: 90, stock_qty: 3 })).createItem.item.id;
    const tooMuch = await call(client, "inventory_adjust_stock", { item_id: soap, delta: -5 });
    expect(refused(tooMuch)).toMatch(/Soap .*requested 5\.000 piece, only 3\.000 piece available/);
    expect(await stockOf(t.db.pool, soap)).toBe("3.000");
    ok(await call(client, "inventory_set_item_active", { item_id: soap, active: false }));
    expect(refused(await call(client, "billing_create_bill", { items: [{ item_id: soap, quantity: 1 }] }))).toMatch(/Soap .*deactivated/);
    expect(ok(await call(client, "inventory_get_item", { item_id: 999_999 }))).toEqual({ item: null });
    expect(text(await call(client, "billing_get_bill", { bill_id: 999_999 }))).toMatch(/^bill: not found/);
  });

  it("rejects bad arguments with a clear message before anything runs", async () => {
    const before = await databaseChecksum(t.db.pool);
    expect(refused(await call(client, "billing_create_bill", {}))).toMatch(/Invalid arguments for tool billing_create_bill: .*items/s);
    expect(refused(await call(client, "inventory_list_items", { name: "sugar" }))).toMatch(/Unrecognized key: "name"/);
    expect(refused(await call(client, "inventory_adjust_stock", { item_id: 1, delta: 1, reason: "THEFT" }))).toMatch(/reason/);
    expect(refused(await call(client, "inventory_get_item", { item_id: 1.5 }))).toMatch(/item_id/);
    // Values the schema cannot tell apart from good ones are refused by GraphQL's and the API's own checks.
    expect(refused(await call(client, "billing_create_bill", { items: [{ item_id: 1, quantity: "lots" }] }))).toMatch(/items\[0\]\.quantity: /);
    expect(refused(await call(client, "inventory_list_items", { first: 1000 }))).toMatch(/first/);
    expect(refused(await call(client, "billing_list_bills", { from: "yesterday-ish" }))).toMatch(/from/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("masks unexpected failures (logging them) and says when the database is unavailable", async () => {
    const closed = connectDatabase(t.url, 1);
    await closed.close();
    const logged: string[] = [];
    const broken = await connect({ executor: inProcessExecutor({ schema, db: closed, actor: systemActor("test"), log: (m) => logged.push(m) }) });
    const message = refused(await call(broken, "inventory_list_items", {}));
    expect(message).toBe("inventory_list_items failed with an internal error in StoreLite (logged by the server). Check with a read tool whether it took effect before retrying.");
    expect(logged.join("\n")).toMatch(/internal error: .*pool/is);

    const failing = Promise.reject(new Error("port 54329 is in use"));
    failing.catch(() => {});
    const down = await connect({ executor: inProcessExecutor({ schema, db: failing, actor: systemActor("test") }) });
    expect(refused(await call(down, "billing_get_bill", { bill_id: 1 }))).toBe("StoreLite's database is not available: port 54329 is in use");
  });
});
