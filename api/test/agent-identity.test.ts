// The assistant acts with the rights of whoever is asking, never more: a
// cashier's assistant cannot change a price even when the model tries, and one
// person's conversations and ChatKit threads are invisible to another. Only the
// model is scripted; the tools are the real MCP server, each call carrying the
// asker's credential.
import { assistantMessage, functionCall, modelResponder } from "@openai/agents/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/open.ts";
import { schema } from "../src/graphql/schema.ts";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
});

beforeAll(async () => {
  await seedDemo(t.db);
});

const sugar = async () => (await t.db.pool.query<{ id: number; unit_price: string }>("SELECT id, unit_price FROM items WHERE name = 'Sugar'")).rows[0]!;

describe("the assistant acts for the person asking", () => {
  it("refuses anyone not signed in", async () => {
    const res = await t.chat({ message: "hello" }, { authorization: "" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
    const kit = await t.chatkit({ type: "threads.list", params: { limit: 5, order: "desc" } }, { authorization: "" });
    expect(kit.status).toBe(401);
  });

  it("a cashier's assistant trying inventory_update_item is refused in the domain, and nothing changes", async () => {
    const cashier = await t.headersFor("CASHIER");
    const item = await sugar();
    t.model.enqueue([functionCall("inventory_update_item", { item_id: item.id, unit_price: "1.00" }, { callId: "cheap_sugar" })]);
    const asked = await t.chat({ message: "Make sugar cost 1.00" }, cashier);
    expect(asked.status).toBe(200);
    expect(asked.body.pending_approvals.map((p: { tool: string }) => p.tool)).toEqual(["inventory_update_item"]);

    const before = await databaseChecksum(t.db.pool);
    let seen = "";
    t.model.enqueue(
      modelResponder((call) => {
        seen = toolOutputsIn(call.request).find((o) => o.callId === "cheap_sugar")!.text;
        return [assistantMessage("I am not allowed to change prices.")];
      }),
    );
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "cheap_sugar", approve: true } }, cashier);
    expect(done.status).toBe(200);
    expect(seen).toMatch(/may not do this: it needs the EDIT_CATALOG permission/);
    expect(seen).toMatch(/Nothing was changed/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    expect((await sugar()).unit_price).toBe(item.unit_price);
  });

  it("an approval counts only from the conversation's owner: another person cannot see or answer it", async () => {
    const item = await sugar();
    t.model.enqueue([functionCall("inventory_update_item", { item_id: item.id, unit_price: "170.00" }, { callId: "owner_price" })]);
    const asked = await t.chat({ message: "Sugar is 170.00 now" });
    expect(asked.body.pending_approvals).toHaveLength(1);
    const manager = await t.headersFor("MANAGER");
    const hijack = await t.chat({ session_id: asked.body.session_id, approval: { id: "owner_price", approve: true } }, manager);
    expect(hijack.status).toBe(404);
    expect((await sugar()).unit_price).toBe(item.unit_price);
    // The owner still can.
    t.model.enqueue([assistantMessage("Sugar now costs 170.00 per kg.")]);
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "owner_price", approve: true } });
    expect(done.status).toBe(200);
    expect((await sugar()).unit_price).toBe("170.00");
  });

  it("ChatKit threads belong to their owner: another user cannot list, read or continue them", async () => {
    t.model.enqueue([assistantMessage("Hello owner.")]);
    const created = await t.chatkit({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "owner's secret plan" }], attachments: [], inference_options: {} } } });
    expect(created.status).toBe(200);
    const threadId = (created.events!.find((e) => e.type === "thread.created") as unknown as { thread: { id: string } }).thread.id;

    const cashier = await t.headersFor("CASHIER");
    const theirs = await t.chatkit({ type: "threads.list", params: { limit: 50, order: "desc" } }, cashier);
    expect(theirs.status).toBe(200);
    expect(theirs.json.data.map((th: { id: string }) => th.id)).not.toContain(threadId);
    expect((await t.chatkit({ type: "threads.get_by_id", params: { thread_id: threadId } }, cashier)).status).toBe(404);
    expect((await t.chatkit({ type: "items.list", params: { thread_id: threadId, limit: 10, order: "asc" } }, cashier)).status).toBe(404);
    const cont = await t.chatkit(
      { type: "threads.add_user_message", params: { thread_id: threadId, input: { content: [{ type: "input_text", text: "me too" }], attachments: [], inference_options: {} } } },
      cashier,
    );
    expect(cont.status).toBe(404);
    expect((await t.chatkit({ type: "threads.delete", params: { thread_id: threadId } }, cashier)).status).toBe(200);

    // Still there for its owner, with nothing added by the cashier.
    const mine = await t.chatkit({ type: "threads.get_by_id", params: { thread_id: threadId } });
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.json)).toContain("owner's secret plan");
    expect(JSON.stringify(mine.json)).not.toContain("me too");
  });
});
