// Reliability (issue 7): a sweep of malformed tool calls through the SDK's
// client. Each is refused with a readable error — a tool error or a protocol
// error — the server keeps serving, and the database is unchanged.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "@storelite/api/graphql/schema";
import { PRICE, QUANTITY, STOCK_DELTA } from "@storelite/api/domain/money";
import { refusedBy } from "@storelite/api/testing/sweep";
import { databaseChecksum } from "@storelite/api/testing/checksum";
import { ownerApiToken, useTestDatabase } from "@storelite/api/testing/fixtures";
import { inProcessExecutor } from "../src/executor.ts";
import { buildServer } from "../src/tools.ts";
import { call, ok, text } from "./scenarios.ts";

const t = useTestDatabase();
let client: Client;

beforeAll(async () => {
  const server = buildServer({ executor: inProcessExecutor({ schema, db: t.db, token: await ownerApiToken(t.db) }), log: () => {} });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: "sweep", version: "1.0.0" });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
});

const BAD: unknown[] = ["NaN", "Infinity", "1e3", "0x10", "", " ", "1,5", "-1", "0", "1.0001", "99999999999999999999", "1".repeat(300), null, true, [], {}, -3, 0, 1.23456];

/** Refused clearly: an isError result with text, or a protocol error with a message. */
async function refusedClearly(what: string, name: string, args: Record<string, unknown>) {
  try {
    const result = await call(client, name, args);
    expect(result.isError, `${what}: ${JSON.stringify(result).slice(0, 300)}`).toBe(true);
    expect(text(result).length, what).toBeGreaterThan(10);
  } catch (err) {
    expect((err as Error).message.length, what).toBeGreaterThan(10);
  }
}

describe("MCP bad-input sweep", () => {
  it("refuses every malformed call and changes nothing", async () => {
    const itemId = ok(await call(client, "inventory_add_item", { name: "Sugar", unit: "kg", unit_price: "160", stock_qty: "5" })).createItem.item.id;
    const before = await databaseChecksum(t.db.pool);
    let sent = 0;
    const sweep = async (what: string, name: string, args: Record<string, unknown>) => {
      sent++;
      await refusedClearly(what, name, args);
    };
    for (const bad of BAD) {
      const shown = JSON.stringify(bad);
      if (refusedBy(QUANTITY, bad)) await sweep(`quantity ${shown}`, "billing_create_bill", { items: [{ item_id: itemId, quantity: bad }] });
      await sweep(`item_id ${shown}`, "billing_create_bill", { items: [{ item_id: bad, quantity: 1 }] });
      if (refusedBy(PRICE, bad)) await sweep(`price ${shown}`, "inventory_add_item", { name: "X", unit_price: bad });
      if (refusedBy(STOCK_DELTA, bad)) await sweep(`delta ${shown}`, "inventory_adjust_stock", { item_id: itemId, delta: bad });
      await sweep(`bill_id ${shown}`, "billing_get_bill", { bill_id: bad });
    }
    for (const args of [
      {},
      { items: [] },
      { items: "everything" },
      { items: [{ item_id: itemId, quantity: "6" }] },
      { items: [{ item_id: 987654, quantity: "1" }] },
      { items: [{ item_id: itemId, quantity: "1" }], customer_name: "x".repeat(1000) },
      { items: [{ item_id: itemId, quantity: "1" }], idempotency_key: "with spaces" },
      { items: [{ item_id: itemId, quantity: "1", discount: { kind: "PERCENT", value: "150" } }] },
      { items: [{ item_id: itemId, quantity: "1", discount: { kind: "HALF", value: "1" } }] },
      { items: [{ item_id: itemId, quantity: "1" }], bill_discount: { kind: "AMOUNT", value: "-1" } },
      { items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CARD", amount: "99999" }] },
      { items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CASH", amount: "0.01" }] },
      { items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CHEQUE", amount: "1" }] },
      { items: [{ item_id: itemId, quantity: "1" }], expected_total: "0.01" },
    ]) {
      await sweep(`bill ${JSON.stringify(args).slice(0, 60)}`, "billing_create_bill", args);
      if (args.items !== undefined) await sweep(`preview ${JSON.stringify(args).slice(0, 60)}`, "billing_preview_bill", args);
    }
    await sweep("no name", "inventory_add_item", { unit_price: "1" });
    await sweep("blank name", "inventory_add_item", { name: "   ", unit_price: "1" });
    await sweep("update unknown", "inventory_update_item", { item_id: 987654, name: "Z" });
    await sweep("adjust below zero", "inventory_adjust_stock", { item_id: itemId, delta: "-5.001" });
    await sweep("unknown tool", "drop_all_tables", {});
    await sweep("bad cursor", "inventory_list_items", { after: "garbage" });
    await sweep("bad page size", "inventory_list_items", { first: 100000 });
    await sweep("bad dates", "billing_list_bills", { from: "yesterday" });

    expect(sent).toBeGreaterThan(60);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    // Still serving.
    expect(ok(await call(client, "inventory_get_item", { item_id: itemId })).item.stockQty).toBe("5.000");
  });
});
