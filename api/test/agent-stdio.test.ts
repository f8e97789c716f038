// The production path: the API starts mcp/src/stdio.ts as a child process on
// its own database and the agent's tools are that server's tools over stdio.
import { assistantMessage, functionCall, modelResponder } from "@openai/agents/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/open.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";

const t = useAssistantServer({});

beforeAll(async () => {
  await seedDemo(t.db);
});

describe("assistant over the stdio MCP server", () => {
  it("sees StoreLite's MCP tools, reads through them and writes only after approval", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "lipstick" }, { callId: "lip" })],
      modelResponder((call) => {
        const names = (call.request.tools ?? []).map((tool: { name?: string }) => tool.name).sort();
        expect(names).toEqual(expect.arrayContaining(["billing_create_bill", "inventory_add_item", "inventory_adjust_stock", "inventory_list_items", "inventory_update_item"]));
        const lipstick = toolOutputsIn(call.request).find((o) => o.callId === "lip")!.data.items.nodes[0];
        return [functionCall("inventory_adjust_stock", { item_id: lipstick.id, delta: "10", reason: "RESTOCK" }, { callId: "lip_add" })];
      }),
    );
    const asked = await t.chat({ message: "Add 10 lipsticks to stock" });
    expect(asked.status).toBe(200);
    expect(asked.body.pending_approvals.map((p: any) => p.tool)).toEqual(["inventory_adjust_stock"]);
    t.model.enqueue([assistantMessage("Lipstick stock is now 12 pieces.")]);
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "lip_add", approve: true } });
    expect(done.body.results[0]).toMatchObject({ tool: "inventory_adjust_stock", ok: true, item: { name: "Lipstick", stock: "12.000" } });
    const { rows } = await t.db.pool.query("SELECT stock_qty FROM items WHERE name = 'Lipstick'");
    expect(rows[0].stock_qty).toBe("12.000");
    t.model.assertComplete();
  });
});
