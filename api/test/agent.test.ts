// The original design's conversations against the real API server, the real
// MCP tools and PostgreSQL, with only the model scripted. Each asserts the tool
// calls, the approval step and what is in the database afterwards.
import { assistantMessage, functionCall, modelResponder, type RecordedModelCall } from "@openai/agents/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/open.ts";
import { schema } from "../src/graphql/schema.ts";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { AgentSessionStore } from "../src/agent/session-store.ts";
import { parseSse, toolOutputsIn, userMessagesIn, useAssistantServer } from "../src/agent/testing.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
});

beforeAll(async () => {
  await seedDemo(t.db);
});

const stockOf = async (name: string) =>
  (await t.db.pool.query<{ stock_qty: string }>("SELECT stock_qty FROM items WHERE name = $1", [name])).rows[0]!.stock_qty;

/** The items a list call returned, as the model saw them. */
function listed(call: RecordedModelCall, callId: string) {
  const out = toolOutputsIn(call.request).find((o) => o.callId === callId);
  if (!out) throw new Error(`the model was not shown the result of ${callId}`);
  return out.data.items.nodes as { id: number; name: string; unit: string; unitPrice: string; stockQty: string; category: string }[];
}

describe("agent conversations", () => {
  it("Increase stock of flour by 25 kg: two flours, so it asks which; then adjusts after approval", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "flour" }, { callId: "flour_list" })],
      modelResponder((call) => {
        const flours = listed(call, "flour_list");
        expect(flours.map((f) => f.name)).toEqual(["Flour (Atta)", "Flour (Maida)"]);
        return [assistantMessage(`I found two flours: ${flours.map((f) => `${f.name} (${Number(f.stockQty)} ${f.unit} in stock)`).join(" and ")}. Which one should get 25 kg more?`)];
      }),
    );
    const before = await databaseChecksum(t.db.pool);
    const ask = await t.chat({ message: "Increase stock of flour by 25 kg" });
    expect(ask.status).toBe(200);
    expect(ask.body.reply).toBe("I found two flours: Flour (Atta) (80 kg in stock) and Flour (Maida) (40 kg in stock). Which one should get 25 kg more?");
    expect(ask.body.pending_approvals).toEqual([]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    // The answer is understood from the stored history: the model is shown the earlier search again.
    t.model.enqueue(
      modelResponder((call) => {
        expect(userMessagesIn(call.request)).toEqual(["Increase stock of flour by 25 kg", "The atta one"]);
        const atta = listed(call, "flour_list").find((f) => f.name === "Flour (Atta)")!;
        return [functionCall("inventory_adjust_stock", { item_id: atta.id, delta: "25", reason: "RESTOCK" }, { callId: "flour_adjust" })];
      }),
    );
    const pending = await t.chat({ session_id: ask.body.session_id, message: "The atta one" });
    expect(pending.body.pending_approvals).toEqual([
      expect.objectContaining({ id: "flour_adjust", tool: "inventory_adjust_stock", arguments: expect.objectContaining({ delta: "25", reason: "RESTOCK" }) }),
    ]);
    expect(pending.body.pending_approvals[0].summary).toBe("Add 25 kg to the stock of Flour (Atta): 80 → 105 kg (restock)");
    expect(await stockOf("Flour (Atta)")).toBe("80.000");

    t.model.enqueue(
      modelResponder((call) => {
        const out = toolOutputsIn(call.request).find((o) => o.callId === "flour_adjust")!;
        const item = out.data.adjustStock.change.item;
        return [assistantMessage(`Done: ${item.name} is now ${Number(item.stockQty)} ${item.unit} in stock (+25 ${item.unit}).`)];
      }),
    );
    const done = await t.chat({ session_id: ask.body.session_id, approval: { id: "flour_adjust", approve: true } });
    expect(done.body.reply).toBe("Done: Flour (Atta) is now 105 kg in stock (+25 kg).");
    expect(done.body.results[0]).toMatchObject({ tool: "inventory_adjust_stock", ok: true, item: { name: "Flour (Atta)", stock: "105.000", unit: "kg" } });
    expect(await stockOf("Flour (Atta)")).toBe("105.000");
    expect(await stockOf("Flour (Maida)")).toBe("40.000");
    const ledger = await t.db.pool.query("SELECT m.reason, m.quantity FROM stock_movements m JOIN items i ON i.id = m.item_id WHERE i.name = 'Flour (Atta)' ORDER BY m.id DESC LIMIT 1");
    expect(ledger.rows[0]).toEqual({ reason: "restock", quantity: "25.000" });
    t.model.assertComplete();
  });

  /** Scripts the model's side of "bill for Ali: 2 kg sugar and 1 shampoo bottle" up to the create call. */
  function scriptBill(quantities: { sugar: string; shampoo: string }, callId: string) {
    t.model.enqueue(
      [
        functionCall("inventory_list_items", { search: "sugar" }, { callId: `${callId}_sugar` }),
        functionCall("inventory_list_items", { search: "shampoo" }, { callId: `${callId}_shampoo` }),
      ],
      modelResponder((call) => {
        // "Sugar" also finds "Brown Sugar": the exact name wins; the ids come from the tool results.
        const sugar = listed(call, `${callId}_sugar`).find((i) => i.name === "Sugar")!;
        const [shampoo] = listed(call, `${callId}_shampoo`);
        return [
          functionCall(
            "billing_create_bill",
            { customer_name: "Ali", items: [{ item_id: sugar.id, quantity: quantities.sugar }, { item_id: shampoo!.id, quantity: quantities.shampoo }] },
            { callId },
          ),
        ];
      }),
    );
  }

  it("Create a bill for Ali: 2 kg sugar and 1 shampoo bottle — the bill exists only after approval, stock goes down", async () => {
    scriptBill({ sugar: "2", shampoo: "1" }, "bill_ali");
    const before = await databaseChecksum(t.db.pool);
    const sugarBefore = await stockOf("Sugar");
    const asked = await t.chat({ message: "Create a bill for Ali: 2 kg sugar and 1 shampoo bottle" });
    expect(asked.body.pending_approvals).toEqual([
      expect.objectContaining({ id: "bill_ali", tool: "billing_create_bill", arguments: expect.objectContaining({ customer_name: "Ali" }) }),
    ]);
    // The approval names the items, quantities, prices and total — not ids.
    expect(asked.body.pending_approvals[0].summary).toBe("Create a bill for Ali: 2 kg Sugar × 160.00 = 320.00; 1 piece Shampoo Bottle × 650.00 = 650.00; total 970.00 (tax 0.00); paid 970.00 cash");
    expect(asked.body.reply).toMatch(/^I need your approval to: Create a bill for Ali: 2 kg Sugar/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    t.model.enqueue(
      modelResponder((call) => {
        const bill = toolOutputsIn(call.request).find((o) => o.callId === "bill_ali")!.data.createBill.bill;
        const lines = bill.lines.map((l: any) => `${Number(l.quantity)} ${l.unit} ${l.itemName} = ${l.lineTotal}`).join(", ");
        return [assistantMessage(`Bill #${bill.id} for ${bill.customerName}: ${lines}. Total ${bill.totalAmount}.`)];
      }),
    );
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "bill_ali", approve: true } });
    const { rows: bills } = await t.db.pool.query("SELECT id, customer_name, total_amount, idempotency_key FROM bills");
    // The approved call's id is the bill's idempotency key: running it again could not bill twice.
    expect(bills).toEqual([{ id: expect.any(Number), customer_name: "Ali", total_amount: "970.00", idempotency_key: "assistant-bill_ali" }]);
    expect(done.body.results).toEqual([expect.objectContaining({ tool: "billing_create_bill", ok: true, bill: { id: bills[0]!.id, total: "970.00", customer: "Ali" } })]);
    expect(done.body.reply).toBe(`Bill #${bills[0]!.id} for Ali: 2 kg Sugar = 320.00, 1 piece Shampoo Bottle = 650.00. Total 970.00.`);
    expect(await stockOf("Sugar")).toBe((Number(sugarBefore) - 2).toFixed(3));
    expect(await stockOf("Shampoo Bottle")).toBe("19.000");
    t.model.assertComplete();
  });

  it("Create a bill for Ali: 2 kg sugar with 10% off, paid 500 cash — the approval states total, tax and change from the server's preview", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "sugar" }, { callId: "disc_sugar" })],
      modelResponder((call) => {
        const sugar = listed(call, "disc_sugar").find((i) => i.name === "Sugar")!;
        return [
          functionCall(
            "billing_create_bill",
            { customer_name: "Ali", items: [{ item_id: sugar.id, quantity: "2", discount: { kind: "PERCENT", value: "10" } }], payments: [{ method: "CASH", amount: "500" }] },
            { callId: "bill_disc" },
          ),
        ];
      }),
    );
    const before = await databaseChecksum(t.db.pool);
    const asked = await t.chat({ message: "Create a bill for Ali: 2 kg sugar with 10% off, paid 500 cash" });
    expect(asked.body.pending_approvals[0].summary).toBe(
      "Create a bill for Ali: 2 kg Sugar × 160.00 = 320.00 − 32.00 off, discounts 32.00; total 288.00 (tax 0.00); paid 500.00 cash, change 212.00",
    );
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    t.model.enqueue(
      modelResponder((call) => {
        const bill = toolOutputsIn(call.request).find((o) => o.callId === "bill_disc")!.data.createBill.bill;
        return [assistantMessage(`Bill #${bill.id}: total ${bill.totalAmount}, change ${bill.changeDue}.`)];
      }),
    );
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "bill_disc", approve: true } });
    const { rows } = await t.db.pool.query("SELECT total_amount, discount_total, change_due FROM bills WHERE idempotency_key = 'assistant-bill_disc'");
    expect(rows).toEqual([{ total_amount: "288.00", discount_total: "32.00", change_due: "212.00" }]);
    expect(done.body.reply).toMatch(/total 288\.00, change 212\.00/);
    t.model.assertComplete();
  });

  it("a rejected approval leaves the database unchanged", async () => {
    scriptBill({ sugar: "2", shampoo: "1" }, "bill_rejected");
    const before = await databaseChecksum(t.db.pool);
    const asked = await t.chat({ message: "Create a bill for Ali: 2 kg sugar and 1 shampoo bottle" });
    expect(asked.body.pending_approvals.map((p: any) => p.id)).toEqual(["bill_rejected"]);

    t.model.enqueue(
      modelResponder((call) => {
        const out = toolOutputsIn(call.request).find((o) => o.callId === "bill_rejected")!;
        expect(out.text).toMatch(/rejected/);
        return [assistantMessage("OK, I did not create the bill. Nothing was changed.")];
      }),
    );
    const rejected = await t.chat({ session_id: asked.body.session_id, approval: { id: "bill_rejected", approve: false } });
    expect(rejected.body).toMatchObject({ reply: "OK, I did not create the bill. Nothing was changed.", pending_approvals: [], results: [] });
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    // The paused run is gone: approving it now is refused.
    const late = await t.chat({ session_id: asked.body.session_id, approval: { id: "bill_rejected", approve: true } });
    expect(late.status).toBe(409);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    t.model.assertComplete();
  });

  it("a paused run is resumed once: an approval another request already took does nothing", async () => {
    scriptBill({ sugar: "1", shampoo: "1" }, "bill_taken");
    const asked = await t.chat({ message: "Bill Ali for 1 kg sugar and a shampoo" });
    const before = await databaseChecksum(t.db.pool);
    // As if another API process had just taken this approval to resume it.
    const { rows } = await t.db.pool.query<{ pending_state: string }>("SELECT pending_state FROM agent_sessions WHERE id = $1", [asked.body.session_id]);
    const store = new AgentSessionStore(t.db);
    const [first, second] = await Promise.all([store.claimPending(asked.body.session_id, rows[0]!.pending_state), store.claimPending(asked.body.session_id, rows[0]!.pending_state)]);
    expect([first, second].sort()).toEqual([false, true]);
    const late = await t.chat({ session_id: asked.body.session_id, approval: { id: "bill_taken", approve: true } });
    expect(late.status).toBe(409);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    t.model.assertComplete();
  });

  it("a plain 'no' answers the approval too, and 'yes' approves", async () => {
    scriptBill({ sugar: "1", shampoo: "1" }, "bill_no");
    const before = await databaseChecksum(t.db.pool);
    const asked = await t.chat({ message: "Bill Ali for 1 kg sugar and a shampoo" });
    t.model.enqueue([assistantMessage("Cancelled; nothing was billed.")]);
    const no = await t.chat({ session_id: asked.body.session_id, message: "no" });
    expect(no.body.reply).toBe("Cancelled; nothing was billed.");
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    scriptBill({ sugar: "1", shampoo: "1" }, "bill_yes");
    const again = await t.chat({ session_id: asked.body.session_id, message: "Bill Ali for 1 kg sugar and a shampoo after all" });
    expect(again.body.pending_approvals.map((p: any) => p.id)).toEqual(["bill_yes"]);
    t.model.enqueue([assistantMessage("Billed.")]);
    const yes = await t.chat({ session_id: asked.body.session_id, message: "yes" });
    expect(yes.body.results[0]).toMatchObject({ tool: "billing_create_bill", ok: true, bill: { total: "810.00" } });
    t.model.assertComplete();
  });

  it("saying something else instead of yes/no rejects the pending write and passes the words on", async () => {
    scriptBill({ sugar: "2", shampoo: "1" }, "bill_changed");
    const before = await databaseChecksum(t.db.pool);
    const asked = await t.chat({ message: "Create a bill for Ali: 2 kg sugar and 1 shampoo bottle" });
    t.model.enqueue(
      modelResponder((call) => {
        const out = toolOutputsIn(call.request).find((o) => o.callId === "bill_changed")!;
        expect(out.text).toBe("The user did not approve this; nothing was changed. Instead they wrote: make it 3 kg sugar");
        return [assistantMessage("Understood: nothing was billed. Shall I prepare the bill with 3 kg sugar and 1 shampoo bottle?")];
      }),
    );
    const changed = await t.chat({ session_id: asked.body.session_id, message: "make it 3 kg sugar" });
    expect(changed.body).toMatchObject({ pending_approvals: [], results: [], reply: expect.stringMatching(/^Understood: nothing was billed/) });
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    t.model.assertComplete();
  });

  it("an out-of-stock bill is explained, and nothing is sold", async () => {
    scriptBill({ sugar: "2", shampoo: "500" }, "bill_short");
    const before = await databaseChecksum(t.db.pool);
    const asked = await t.chat({ message: "Create a bill for Ali: 2 kg sugar and 500 shampoo bottles" });
    expect(asked.body.pending_approvals.map((p: any) => p.id)).toEqual(["bill_short"]);
    t.model.enqueue(
      modelResponder((call) => {
        const out = toolOutputsIn(call.request).find((o) => o.callId === "bill_short")!;
        expect(out.text).toMatch(/Nothing was changed/);
        return [assistantMessage(`I couldn't create the bill: ${out.text.split("\n")[0]}`)];
      }),
    );
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "bill_short", approve: true } });
    expect(done.body.results).toEqual([expect.objectContaining({ tool: "billing_create_bill", ok: false })]);
    expect(done.body.reply).toMatch(/^I couldn't create the bill: .*Shampoo Bottle.*500.*1[89]/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    t.model.assertComplete();
  });

  it("Show me all items with stock less than 5 units in the beauty category: one read, no approval", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { category: "Beauty", low_stock_below: "5" }, { callId: "low" })],
      modelResponder((call) => {
        const items = listed(call, "low");
        return [assistantMessage(`Low on stock in Beauty: ${items.map((i) => `${i.name} ${Number(i.stockQty)} ${i.unit}`).join(", ")}.`)];
      }),
    );
    const before = await databaseChecksum(t.db.pool);
    const res = await t.chat({ message: "Show me all items with stock less than 5 units in the beauty category" });
    expect(res.body.pending_approvals).toEqual([]);
    const { rows } = await t.db.pool.query("SELECT name, stock_qty FROM items WHERE category = 'Beauty' AND stock_qty < 5 AND is_active ORDER BY name");
    expect(rows.length).toBeGreaterThan(0);
    expect(res.body.reply).toBe(`Low on stock in Beauty: ${rows.map((r) => `${r.name} ${Number(r.stock_qty)} piece`).join(", ")}.`);
    expect(res.body.results).toEqual([expect.objectContaining({ tool: "inventory_list_items", ok: true })]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    t.model.assertComplete();
  });

  it("streams the same turn as SSE: text deltas, tool calls, the approval, then the result", async () => {
    scriptBill({ sugar: "1", shampoo: "1" }, "bill_sse");
    const res = await t.post("/agent/chat/stream", { message: "Bill Ali for 1 kg sugar and a shampoo" });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.type)).toEqual(["tool_called", "tool_called", "tool_output", "tool_output", "tool_called", "approval_required", "done"]);
    const done = events.at(-1) as any;
    expect(done.result.pending_approvals.map((p: any) => p.id)).toEqual(["bill_sse"]);

    t.model.enqueue([assistantMessage("Cancelled.")]);
    const res2 = await t.post("/agent/chat", { session_id: done.result.session_id, approval: { id: "bill_sse", approve: false } }, { accept: "text/event-stream" });
    const events2 = parseSse(await res2.text());
    expect(events2).toEqual([{ type: "text_delta", delta: "Cancelled." }, { type: "done", result: expect.objectContaining({ reply: "Cancelled." }) }]);
    t.model.assertComplete();
  });

  it("refuses bad requests clearly", async () => {
    expect(await t.chat({})).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST", message: expect.stringContaining("send a `message`") } } });
    expect(await t.chat({ message: "hi", session_id: "bad id!" })).toMatchObject({ status: 400 });
    expect(await t.chat({ session_id: "sess_nothing_pending", approval: { id: "x", approve: true } })).toMatchObject({ status: 409, body: { error: { code: "NO_PENDING_APPROVAL" } } });
  });
});
