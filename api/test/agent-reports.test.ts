// The owner's business questions, answered by the assistant through the real
// report tools (MCP, in-process) on PostgreSQL, with only the model scripted.
// Each test checks the tool and the period the model picked, that the tool
// resolved the period on the shop's calendar (Pacific/Auckland, far from the
// machine's UTC), and that the reply quotes figures recomputed here in plain SQL.
import { assistantMessage, functionCall, modelResponder, type RecordedModelCall } from "@openai/agents/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";
import { seedDemo } from "../src/db/open.ts";
import { systemActor } from "../src/domain/access.ts";
import { createBill } from "../src/domain/bills.ts";
import { schema } from "../src/graphql/schema.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const TZ = "Pacific/Auckland";
process.env.STORELITE_TIME_ZONE = TZ;

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
});

const q = async <T = any>(sql: string, values: unknown[] = []) => (await t.db.pool.query(sql, values)).rows as T[];

// Shop-calendar bounds, written independently of the reports module.
const LOCAL_NOW = `(now() AT TIME ZONE '${TZ}')`;
const BOUNDS = {
  TODAY: [`date_trunc('day', ${LOCAL_NOW})`, `date_trunc('day', ${LOCAL_NOW}) + interval '1 day'`],
  YESTERDAY: [`date_trunc('day', ${LOCAL_NOW}) - interval '1 day'`, `date_trunc('day', ${LOCAL_NOW})`],
  LAST_WEEK: [`date_trunc('week', ${LOCAL_NOW}) - interval '7 days'`, `date_trunc('week', ${LOCAL_NOW})`],
  THIS_MONTH: [`date_trunc('month', ${LOCAL_NOW})`, `date_trunc('month', ${LOCAL_NOW}) + interval '1 month'`],
} as const;
const within = (p: keyof typeof BOUNDS) => `b.created_at >= (${BOUNDS[p][0]}) AT TIME ZONE '${TZ}' AND b.created_at < (${BOUNDS[p][1]}) AT TIME ZONE '${TZ}'`;
const localStart = async (p: keyof typeof BOUNDS) => (await q(`SELECT to_char(${BOUNDS[p][0]}, 'YYYY-MM-DD"T"HH24:MI:SS') AS s`))[0].s as string;

function output(call: RecordedModelCall, callId: string) {
  const out = toolOutputsIn(call.request).find((o) => o.callId === callId);
  if (!out) throw new Error(`the model was not shown the result of ${callId}`);
  return out.data;
}

/** Sells lines and dates the bill at a shop wall-clock time given as SQL. */
async function sellAt(localTimeSql: string, lines: [string, string][]) {
  const ids = await q<{ id: number; name: string }>("SELECT id, name FROM items WHERE name = ANY($1)", [lines.map((l) => l[0])]);
  const { bill } = await createBill(
    { db: t.db, actor: systemActor("test") },
    { lines: lines.map(([name, qty]) => ({ itemId: ids.find((i) => i.name === name)!.id, quantity: qty })) },
  );
  await q(`UPDATE bills SET created_at = (${localTimeSql}) AT TIME ZONE '${TZ}' WHERE id = $1`, [bill.id]);
  return bill.id;
}

beforeAll(async () => {
  await seedDemo(t.db);
  const names = (await q<{ name: string; category: string }>("SELECT name, category FROM items WHERE is_active ORDER BY id")).map((r) => r);
  const beauty = names.filter((n) => n.category === "Beauty").map((n) => n.name);
  const grocery = names.filter((n) => n.category === "Grocery").map((n) => n.name);
  expect(beauty.length).toBeGreaterThan(1);
  const day = `date_trunc('day', ${LOCAL_NOW})`;
  const week = `date_trunc('week', ${LOCAL_NOW})`;
  // Today (just after the shop's midnight) and yesterday, right up to both of its midnights.
  await sellAt(`${day} + interval '1 minute'`, [[grocery[0]!, "3"], [beauty[0]!, "1"]]);
  await sellAt(`${day} + interval '2 minutes'`, [[grocery[1]!, "2.5"]]);
  await sellAt(`${day} - interval '1 second'`, [[grocery[0]!, "1"], [beauty[1]!, "2"]]);
  await sellAt(`${day} - interval '1 day'`, [[grocery[2]!, "4"]]);
  await sellAt(`${day} - interval '1 day' - interval '1 second'`, [[beauty[0]!, "5"]]); // the day before yesterday
  // Last week (Monday to Sunday), and one second before it began.
  await sellAt(`${week} - interval '5 days' + interval '12 hours'`, [[beauty[0]!, "2"], [beauty[1]!, "1"], [grocery[0]!, "2"]]);
  await sellAt(`${week} - interval '1 second'`, [[beauty[1]!, "3"]]);
  await sellAt(`${week} - interval '7 days' - interval '1 second'`, [[beauty[0]!, "9"]]);
  // Two items below their reorder point.
  await q("UPDATE items SET reorder_point = stock_qty + 1, reorder_qty = 12 WHERE name = $1", [grocery[3]]);
  await q("UPDATE items SET reorder_point = stock_qty, unit_cost = 100 WHERE name = $1", [beauty[2]]);
});

describe("the owner's questions", () => {
  it("What are the top 10 best-selling items this month?", async () => {
    const expected = await q<{ item_name: string; qty: string }>(
      `SELECT bi.item_name, sum(bi.quantity)::text AS qty FROM bills b JOIN bill_items bi ON bi.bill_id = b.id
       WHERE ${within("THIS_MONTH")} GROUP BY bi.item_id, bi.item_name ORDER BY sum(bi.quantity) DESC, sum(bi.taxable_amount) DESC, bi.item_id LIMIT 10`,
    );
    expect(expected.length).toBeGreaterThan(0);
    t.model.enqueue(
      [functionCall("reports_top_items", { period: "THIS_MONTH", by: "QUANTITY", first: 10 }, { callId: "top" })],
      modelResponder((call) => {
        const report = output(call, "top").topItems.report;
        const list = report.rows.map((r: any, i: number) => `${i + 1}. ${r.itemName} — ${r.quantity} ${r.unit}`).join("\n");
        return [assistantMessage(`Top sellers this month (from ${report.range.fromLocal.slice(0, 10)}):\n${list}`)];
      }),
    );
    const { body } = await t.chat({ message: "What are the top 10 best-selling items this month?" });
    const monthStart = (await localStart("THIS_MONTH")).slice(0, 10);
    expect(body.reply.split("\n")[0]).toBe(`Top sellers this month (from ${monthStart}):`);
    const quoted = body.reply.split("\n").slice(1).map((l: string) => /^\d+\. (.*) — (\S+) /.exec(l)!.slice(1, 3));
    expect(quoted).toEqual(expected.map((e) => [e.item_name, Number(e.qty).toFixed(3)]));
    t.model.assertComplete();
  });

  it("Which category is generating the most revenue?", async () => {
    const [best] = await q<{ category: string; revenue: string }>(
      `SELECT bi.category, sum(bi.taxable_amount)::text AS revenue FROM bills b JOIN bill_items bi ON bi.bill_id = b.id
       WHERE ${within("THIS_MONTH")} GROUP BY bi.category ORDER BY sum(bi.taxable_amount) DESC LIMIT 1`,
    );
    t.model.enqueue(
      [functionCall("reports_revenue_by_category", { period: "THIS_MONTH" }, { callId: "cats" })],
      modelResponder((call) => {
        const report = output(call, "cats").revenueByCategory.report;
        expect(report.range).toMatchObject({ timeZone: TZ, period: "THIS_MONTH" });
        const top = report.rows[0];
        return [assistantMessage(`${top.category} is bringing in the most this month: ${top.revenue} (${top.share}% of ${report.total}).`)];
      }),
    );
    const { body } = await t.chat({ message: "Which category is generating the most revenue?" });
    expect(body.reply).toMatch(new RegExp(`^${best!.category} is bringing in the most this month: ${best!.revenue.replace(".", "\\.")} \\(`));
    t.model.assertComplete();
  });

  it("Show me all bills from yesterday", async () => {
    const expected = await q<{ id: number; total_amount: string }>(`SELECT b.id, b.total_amount FROM bills b WHERE ${within("YESTERDAY")} ORDER BY b.created_at DESC, b.id DESC`);
    expect(expected.length).toBe(2); // the bill one second before today's midnight and the one at yesterday's midnight
    t.model.enqueue(
      [functionCall("billing_list_bills", { period: "YESTERDAY" }, { callId: "yesterday" })],
      modelResponder((call) => {
        const bills = output(call, "yesterday").bills.nodes;
        return [assistantMessage(`Yesterday's bills: ${bills.map((b: any) => `#${b.id} ${b.totalAmount}`).join(", ")}.`)];
      }),
    );
    const { body } = await t.chat({ message: "Show me all bills from yesterday" });
    expect(body.reply).toBe(`Yesterday's bills: ${expected.map((b) => `#${b.id} ${b.total_amount}`).join(", ")}.`);
    t.model.assertComplete();
  });

  it("How much revenue did we make on beauty products last week?", async () => {
    const [expected] = await q<{ revenue: string }>(
      `SELECT sum(bi.taxable_amount)::text AS revenue FROM bills b JOIN bill_items bi ON bi.bill_id = b.id WHERE ${within("LAST_WEEK")} AND bi.category = 'Beauty'`,
    );
    expect(Number(expected!.revenue)).toBeGreaterThan(0);
    t.model.enqueue(
      [functionCall("reports_revenue_by_category", { period: "LAST_WEEK" }, { callId: "lastweek" })],
      modelResponder((call) => {
        const report = output(call, "lastweek").revenueByCategory.report;
        const beauty = report.rows.find((r: any) => r.category === "Beauty");
        return [assistantMessage(`Beauty made ${beauty.revenue} last week (${report.range.fromLocal.slice(0, 10)} to ${report.range.toLocal.slice(0, 10)}, not included).`)];
      }),
    );
    const { body } = await t.chat({ message: "How much revenue did we make on beauty products last week?" });
    const from = (await localStart("LAST_WEEK")).slice(0, 10);
    expect(body.reply).toMatch(new RegExp(`^Beauty made ${expected!.revenue.replace(".", "\\.")} last week \\(${from} to `));
    t.model.assertComplete();
  });

  it("How much did we take in cash and by card today?", async () => {
    const expected = await q<{ method: string; amount: string }>(
      `SELECT p.method::text, sum(p.amount)::text AS amount FROM bills b JOIN bill_payments p ON p.bill_id = b.id WHERE ${within("TODAY")} AND b.voided_at IS NULL GROUP BY 1`,
    );
    expect(expected.map((e) => e.method)).toEqual(["CASH"]);
    t.model.enqueue(
      [functionCall("reports_payments_by_method", { period: "TODAY" }, { callId: "pay" })],
      modelResponder((call) => {
        const report = output(call, "pay").paymentsByMethod.report;
        expect(report.range).toMatchObject({ timeZone: TZ, period: "TODAY" });
        const of = (m: string) => report.rows.find((r: any) => r.method === m);
        return [assistantMessage(`Today: cash ${of("CASH").amount}, card ${of("CARD").amount}; ${report.amount} in all.`)];
      }),
    );
    const { body } = await t.chat({ message: "How much did we take in cash and by card today?" });
    expect(body.reply).toBe(`Today: cash ${expected[0]!.amount}, card 0.00; ${expected[0]!.amount} in all.`);
    t.model.assertComplete();
  });

  it("which items should I reorder?", async () => {
    const expected = await q<{ name: string; qty: string }>(
      `SELECT name, CASE WHEN reorder_qty IS NOT NULL THEN reorder_qty ELSE greatest(2 * coalesce(reorder_point, 5) - stock_qty, 1) END::numeric(12,3)::text AS qty
       FROM items WHERE is_active AND stock_qty <= coalesce(reorder_point, 5) ORDER BY lower(category), lower(name), id`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    t.model.enqueue(
      [functionCall("inventory_reorder_suggestions", {}, { callId: "reorder" })],
      modelResponder((call) => {
        const groups = output(call, "reorder").reorderSuggestions;
        const lines = groups.flatMap((g: any) => g.lines.map((l: any) => `${l.item.name}: order ${l.quantity} ${l.item.unit}`));
        return [assistantMessage(`Reorder:\n${lines.join("\n")}`)];
      }),
    );
    const { body } = await t.chat({ message: "which items should I reorder?" });
    expect(body.reply.split("\n").slice(1).map((l: string) => /^(.*): order (\S+) /.exec(l)!.slice(1, 3))).toEqual(expected.map((e) => [e.name, e.qty]));
    expect(body.pending_approvals).toEqual([]); // read-only: no approval asked
    t.model.assertComplete();
  });
});
