// "Ali returned 1 kg sugar from bill 12": the assistant reads the bill, asks
// the server for the refund, and the approval card states the server's own
// refund (discount and tax shares included); only after approval is the
// return made — through the MCP tools, with only the model scripted.
import { assistantMessage, functionCall, modelResponder } from "@openai/agents/testing";
import { describe, expect, it } from "vitest";
import { systemActor } from "../src/domain/access.ts";
import { createBill } from "../src/domain/bills.ts";
import { createItem } from "../src/domain/items.ts";
import { refundPreview } from "../src/domain/returns.ts";
import { updateShopSettings } from "../src/domain/settings.ts";
import { createTaxRate, setItemTaxRate } from "../src/domain/tax-rates.ts";
import { schema } from "../src/graphql/schema.ts";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
});

/** Bill 12: Ali's 2 kg sugar (10% off, 17% tax) and 3 soaps, 20.00 off the bill, paid by card and cash. */
async function billTwelve() {
  const ctx = { db: t.db, actor: systemActor("test") };
  await updateShopSettings(ctx, { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00" });
  const sugar = await createItem(ctx, { name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "50" });
  const soap = await createItem(ctx, { name: "Soap", category: "Beauty", unitPrice: "45.50", stockQty: "50" });
  const gst = await createTaxRate(ctx, { name: "GST", percent: "17" });
  await setItemTaxRate(ctx, { itemId: sugar.id, taxRateId: gst.id });
  await t.db.pool.query("SELECT setval('bills_id_seq', 11)");
  const { bill } = await createBill(ctx, {
    customerName: "Ali",
    lines: [
      { itemId: sugar.id, quantity: "2", discount: { kind: "PERCENT", value: "10" } },
      { itemId: soap.id, quantity: "3" },
    ],
    billDiscount: { kind: "AMOUNT", value: "20" },
    payments: [
      { method: "CARD", amount: "300.00" },
      { method: "CASH", amount: "200" },
    ],
  });
  expect(bill.id).toBe(12);
  return { ctx, bill, sugar, sugarLine: bill.lines.find((l) => l.itemId === sugar.id)! };
}

describe("agent: a return", () => {
  it("reads the bill, shows the server's refund on the approval card, and returns only after approval", async () => {
    const { ctx, bill, sugar, sugarLine } = await billTwelve();
    const expected = await refundPreview(ctx, { billId: bill.id, reason: "returned by Ali", lines: [{ billItemId: sugarLine.id, quantity: "1" }] });
    expect(expected.refundTotal.toFixed(2)).toBe("160.54");

    t.model.enqueue(
      [functionCall("billing_get_bill", { bill_id: 12 }, { callId: "get_bill" })],
      modelResponder((call) => {
        const seen = toolOutputsIn(call.request).find((o) => o.callId === "get_bill")!;
        const line = (seen.data.bill.lines as { id: number; itemName: string; returnedQty: string }[]).find((l) => l.itemName === "Sugar")!;
        expect(line.returnedQty).toBe("0.000");
        return [functionCall("billing_refund_preview", { bill_id: 12, items: [{ bill_item_id: line.id, quantity: "1" }], reason: "returned by Ali" }, { callId: "preview" })];
      }),
      modelResponder((call) => {
        const preview = toolOutputsIn(call.request).find((o) => o.callId === "preview")!.data.refundPreview.preview;
        const line = preview.lines[0];
        return [
          assistantMessage(`Ali gets ${preview.refundTotal} back for ${Number(line.quantity)} ${line.unit} ${line.itemName}.`),
          functionCall("billing_create_return", { bill_id: 12, items: [{ bill_item_id: line.billItemId, quantity: "1" }], reason: "returned by Ali" }, { callId: "make_return" }),
        ];
      }),
    );
    const before = await databaseChecksum(t.db.pool);
    const first = await t.chat({ message: "Ali returned 1 kg sugar from bill 12" });
    expect(first.status).toBe(200);
    expect(first.body.reply).toContain("Ali gets 160.54 back for 1 kg Sugar");
    expect(first.body.pending_approvals).toEqual([
      {
        id: "make_return",
        tool: "billing_create_return",
        arguments: { bill_id: 12, items: [{ bill_item_id: sugarLine.id, quantity: "1" }], reason: "returned by Ali" },
        summary: "Take back from bill 12 (returned by Ali): 1 kg Sugar, back to stock, 160.54; refund 160.54 (tax 23.33) paid back 160.54 card",
      },
    ]);
    // Nothing is written before the approval.
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    t.model.enqueue(
      modelResponder((call) => {
        const made = toolOutputsIn(call.request).find((o) => o.name === "billing_create_return")!.data.createReturn.billReturn;
        return [assistantMessage(`Return ${made.id} made: ${made.refundTotal} refunded to the card.`)];
      }),
    );
    const second = await t.chat({ session_id: first.body.session_id, approval: { id: "make_return", approve: true } });
    expect(second.status).toBe(200);
    expect(second.body.reply).toMatch(/^Return \d+ made: 160\.54 refunded to the card\.$/);
    const { rows } = await t.db.pool.query(
      "SELECT r.refund_total::text, r.idempotency_key, rl.quantity::text, rl.restock FROM bill_returns r JOIN bill_return_lines rl ON rl.return_id = r.id WHERE r.bill_id = 12",
    );
    expect(rows).toEqual([{ refund_total: "160.54", idempotency_key: "assistant-make_return", quantity: "1.000", restock: true }]);
    const stock = await t.db.pool.query("SELECT stock_qty::text FROM items WHERE id = $1", [sugar.id]);
    expect(stock.rows[0].stock_qty).toBe("49.000");
    t.model.assertComplete();
  });
});
