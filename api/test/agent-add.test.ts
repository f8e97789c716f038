// "Add 10 kg sugar at 160 per kg under grocery": the assistant searches first,
// asks for approval, and only then the item exists — through the MCP tools.
import { assistantMessage, functionCall, modelResponder } from "@openai/agents/testing";
import { describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema.ts";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
});

describe("agent: add an item", () => {
  it("searches, asks for approval, adds the item after approval and reports it with units", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "sugar" }, { callId: "call_list" })],
      modelResponder((call) => {
        const [seen] = toolOutputsIn(call.request);
        expect(seen).toMatchObject({ name: "inventory_list_items" });
        expect(seen!.data.items.nodes).toEqual([]);
        return [
          assistantMessage("Sugar is not in the catalogue yet. I'll add it."),
          functionCall("inventory_add_item", { name: "Sugar", category: "Grocery", unit: "kg", unit_price: "160", stock_qty: "10" }, { callId: "call_add" }),
        ];
      }),
    );
    const before = await databaseChecksum(t.db.pool);
    const first = await t.chat({ message: "Add 10 kg sugar at 160 per kg under grocery" });
    expect(first.status).toBe(200);
    expect(first.body.session_id).toMatch(/^sess_/);
    expect(first.body.pending_approvals).toEqual([
      {
        id: "call_add",
        tool: "inventory_add_item",
        arguments: { name: "Sugar", category: "Grocery", unit: "kg", unit_price: "160", stock_qty: "10" },
        summary: 'Add a new item "Sugar" (Grocery) at 160.00 per kg, with 10 kg in stock',
      },
    ]);
    expect(first.body.reply).toContain("I'll add it");
    // Nothing is written before the approval.
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    t.model.enqueue(
      modelResponder((call) => {
        const added = toolOutputsIn(call.request).find((o) => o.name === "inventory_add_item")!;
        const item = added.data.createItem.item;
        return [assistantMessage(`I've added ${Number(item.stockQty)} ${item.unit} of ${item.name} at ${item.unitPrice} per ${item.unit} under ${item.category}. Current stock: ${Number(item.stockQty)} ${item.unit}.`)];
      }),
    );
    const second = await t.chat({ session_id: first.body.session_id, approval: { id: "call_add", approve: true } });
    expect(second.status).toBe(200);
    expect(second.body.pending_approvals).toEqual([]);
    expect(second.body.reply).toBe("I've added 10 kg of Sugar at 160.00 per kg under Grocery. Current stock: 10 kg.");
    expect(second.body.results).toEqual([
      expect.objectContaining({ tool: "inventory_add_item", ok: true, item: { id: expect.any(Number), name: "Sugar", stock: "10.000", unit: "kg" } }),
    ]);
    const { rows } = await t.db.pool.query("SELECT name, category, unit, unit_price, stock_qty FROM items");
    expect(rows).toEqual([{ name: "Sugar", category: "Grocery", unit: "kg", unit_price: "160.00", stock_qty: "10.000" }]);
    t.model.assertComplete();
  });
});
