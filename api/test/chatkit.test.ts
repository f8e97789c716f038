// POST /chatkit against the official Python server's recorded bytes
// (chatkit-protocol-golden.txt): every request type, the event order and the
// JSON shapes key for key; approvals answered in the chat; everything kept in
// PostgreSQL across a server restart. Only the model is scripted.
import fs from "node:fs";
import path from "node:path";
import { assistantMessage, functionCall, modelError, modelResponder, modelStream } from "@openai/agents/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../src/domain/access.ts";
import { createItem } from "../src/domain/items.ts";
import { seedDemo } from "../src/db/open.ts";
import { schema } from "../src/graphql/schema.ts";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { toolOutputsIn, useAssistantServer, type SseEvent } from "../src/agent/testing.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
});

// ---- the golden file: requests, and what the Python server answered ----
interface Exchange {
  request: { type: string; params: Record<string, unknown> };
  sse?: Record<string, unknown>[];
  json?: unknown;
}
function readGolden(): Exchange[] {
  const text = fs.readFileSync(path.join(import.meta.dirname, "chatkit-protocol-golden.txt"), "utf8");
  const out: Exchange[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith(">>> REQUEST ")) out.push({ request: JSON.parse(line.slice(12)) });
    else if (line.startsWith("<<< JSON ")) out.at(-1)!.json = JSON.parse(line.slice(9));
    else if (line === "<<< SSE") out.at(-1)!.sse = [];
    else if (line.startsWith("data: ")) out.at(-1)!.sse!.push(JSON.parse(line.slice(6)));
  }
  return out;
}
const golden = readGolden();

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;
/**
 * Replaces what legitimately differs between two servers — generated ids, clock
 * times, the thread title — with placeholders, keeping every key and its order.
 */
function normalise(value: unknown, ids = new Map<string, string>()): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, ids));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k === "created_at") {
          expect(v).toMatch(TIMESTAMP);
          return [k, "<time>"];
        }
        if (k === "title") return [k, "<title>"];
        if ((k === "id" || k === "thread_id" || k === "item_id") && typeof v === "string") {
          if (!ids.has(v)) ids.set(v, `<id${ids.size + 1}>`);
          return [k, ids.get(v)];
        }
        return [k, normalise(v, ids)];
      }),
    );
  }
  return value;
}

/** The model's side of "How many pens?": a search, then "You have 3 pens." in two deltas as in the recording. */
function scriptPens() {
  t.model.enqueue(
    [functionCall("inventory_list_items", { search: "pen" }, { callId: `pens_${t.model.calls.length}` })],
    modelResponder((call) => {
      const [out] = toolOutputsIn(call.request).slice(-1);
      expect(out!.data.items.nodes[0]).toMatchObject({ name: "Pen", stockQty: "3.000" });
      return [];
    }),
  );
}
function pensStream() {
  return modelStream([
    { type: "response_started" },
    { type: "output_text_delta", delta: "You have " },
    { type: "output_text_delta", delta: "3 pens." },
    {
      type: "response_done",
      response: {
        id: "resp_pens",
        usage: { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "You have 3 pens." }] }],
      },
    },
  ]);
}

beforeAll(async () => {
  await seedDemo(t.db);
  await createItem({ db: t.db, actor: systemActor("test") }, { name: "Pen", category: "Other", unit: "piece", unitPrice: "20", stockQty: "3" });
});

describe("/chatkit protocol", () => {

  it("answers the recorded conversation with the same events and JSON, key for key", async () => {
    const ids = new Map<string, string>();
    const goldenIds = new Map<string, string>();
    let threadId = "";
    for (const exchange of golden) {
      const request = structuredClone(exchange.request);
      if (typeof request.params.thread_id === "string") request.params.thread_id = threadId;
      if (request.type === "threads.create" || request.type === "threads.add_user_message") {
        t.model.enqueue([functionCall("inventory_list_items", { search: "pen" }, { callId: `pens_${request.type}` })], pensStream());
      }
      const res = await t.chatkit(request);
      expect(res.status, `${request.type}: ${res.raw}`).toBe(200);
      if (exchange.sse) {
        expect(res.contentType).toMatch(/^text\/event-stream/);
        // Byte format: `data: <compact json>\n\n` per event.
        expect(res.raw).toBe(res.events!.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(""));
        if (request.type === "threads.create") threadId = (res.events![0] as any).thread.id;
        expect(normalise(res.events, ids)).toEqual(normalise(exchange.sse, goldenIds));
        // Same key order as the recording, not only the same keys.
        expect(JSON.stringify(normalise(res.events, ids))).toBe(JSON.stringify(normalise(exchange.sse, goldenIds)));
      } else {
        expect(res.contentType).toMatch(/^application\/json/);
        expect(JSON.stringify(normalise(res.json, ids))).toBe(JSON.stringify(normalise(exchange.json, goldenIds)));
      }
    }
    t.model.assertComplete();
  });

  it("titles a new thread from its first message; threads.list pages with after", async () => {
    t.model.enqueue([assistantMessage("Hi.")]);
    await t.chatkit({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "First" }], attachments: [], inference_options: {} } } });
    t.model.enqueue([assistantMessage("Hello! How can I help?")]);
    const res = await t.chatkit({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "Hello there" }], attachments: [], inference_options: {} } } });
    const updated = res.events!.at(-1) as any;
    expect(updated).toMatchObject({ type: "thread.updated", thread: { title: "Hello there", items: { data: [], has_more: false } } });
    const list = await t.chatkit({ type: "threads.list", params: { limit: 1, order: "desc" } });
    expect(list.json).toMatchObject({ data: [{ id: updated.thread.id, title: "Hello there" }], has_more: true });
    const next = await t.chatkit({ type: "threads.list", params: { limit: 5, order: "desc", after: updated.thread.id } });
    expect(next.json.data.map((th: any) => th.id)).not.toContain(updated.thread.id);
  });

  it("refuses unknown request types and bad requests clearly, without breaking the server", async () => {
    const unknown = await t.chatkit({ type: "threads.explode", params: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: "UNSUPPORTED_REQUEST_TYPE", message: expect.stringContaining('Unsupported ChatKit request type "threads.explode"') });
    expect((await t.chatkit({ params: {} })).status).toBe(400);
    expect((await t.chatkit({ type: "threads.get_by_id", params: {} })).json.error.message).toMatch(/thread_id/);
    const missing = await t.chatkit({ type: "threads.get_by_id", params: { thread_id: "thr_missing" } });
    expect(missing).toMatchObject({ status: 404, json: { error: { code: "NOT_FOUND", message: "Thread thr_missing not found" } } });
    const res = await fetch(`${t.base}/chatkit`, { method: "POST", headers: { "content-type": "application/json", ...(await t.headersFor("OWNER")) }, body: "{not json" });
    expect(res.status).toBe(400);
    expect((await t.chatkit({ type: "threads.list", params: {} })).status).toBe(200);
  });

  it("answers CORS preflights so the web app on another port can call it", async () => {
    const res = await fetch(`${t.base}/chatkit`, { method: "OPTIONS", headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("/chatkit approvals and persistence", () => {

  function scriptBill(callId: string) {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "shampoo" }, { callId: `${callId}_list` })],
      modelResponder((call) => {
        const shampoo = toolOutputsIn(call.request).find((o) => o.callId === `${callId}_list`)!.data.items.nodes[0];
        return [functionCall("billing_create_bill", { customer_name: "Ali", items: [{ item_id: shampoo.id, quantity: "1" }] }, { callId })];
      }),
    );
  }
  const input = (text: string) => ({ content: [{ type: "input_text", text }], attachments: [], inference_options: {} });
  const types = (events: SseEvent[]) => events.map((e) => (e.type === "thread.item.updated" ? `${e.type}:${(e as any).update.type}` : e.type === "thread.item.done" ? `done:${(e as any).item.type}` : e.type));

  it("shows a write as an approval card, and the card's Approve button runs it", async () => {
    scriptBill("ck_bill");
    const before = await databaseChecksum(t.db.pool);
    const created = await t.chatkit({ type: "threads.create", params: { input: input("Bill Ali for one shampoo") } });
    expect(types(created.events!)).toEqual([
      "thread.created",
      "done:user_message",
      "stream_options",
      "progress_update",
      "thread.item.added",
      "thread.item.updated:assistant_message.content_part.added",
      "thread.item.updated:assistant_message.content_part.text_delta",
      "thread.item.updated:assistant_message.content_part.done",
      "done:assistant_message",
      "done:widget",
      "thread.updated",
    ]);
    const card = created.events!.find((e) => e.type === "thread.item.done" && (e as any).item.type === "widget") as any;
    expect(Object.keys(card.item)).toEqual(["id", "thread_id", "created_at", "type", "widget", "copy_text"]);
    expect(card.item.widget).toMatchObject({
      type: "Card",
      children: [{ type: "Title", value: "Approve this change?" }, { type: "Text", value: "Create a bill for Ali: 1 piece Shampoo Bottle × 650.00 = 650.00; total 650.00 (at today's prices)" }, { type: "Caption" }],
      confirm: { label: "Approve", action: { type: "storelite.approval", payload: { approval_id: "ck_bill", approve: true } } },
      cancel: { label: "Reject", action: { type: "storelite.approval", payload: { approval_id: "ck_bill", approve: false } } },
    });
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    const threadId = (created.events![0] as any).thread.id;

    // A restart in between: the paused run and the thread live in PostgreSQL.
    await t.restart();

    t.model.enqueue(
      modelResponder((call) => {
        const bill = toolOutputsIn(call.request).find((o) => o.callId === "ck_bill")!.data.createBill.bill;
        return [assistantMessage(`Bill #${bill.id} for Ali: total ${bill.totalAmount}.`)];
      }),
    );
    const approved = await t.chatkit({ type: "threads.custom_action", params: { thread_id: threadId, item_id: card.item.id, action: card.item.widget.confirm.action } });
    expect(types(approved.events!)).toEqual([
      "stream_options",
      "thread.item.replaced",
      "thread.item.added",
      "thread.item.updated:assistant_message.content_part.added",
      "thread.item.updated:assistant_message.content_part.text_delta",
      "thread.item.updated:assistant_message.content_part.done",
      "done:assistant_message",
    ]);
    const { rows } = await t.db.pool.query("SELECT id, total_amount FROM bills WHERE customer_name = 'Ali'");
    expect(rows).toEqual([{ id: expect.any(Number), total_amount: "650.00" }]);
    expect((approved.events!.at(-1) as any).item.content[0].text).toBe(`Bill #${rows[0].id} for Ali: total 650.00.`);
    const replaced = approved.events![1] as any;
    expect(replaced.item.id).toBe(card.item.id);
    expect(replaced.item.widget.children[0].value).toBe("Approved");
    expect(replaced.item.widget.confirm).toBeUndefined();

    // Pressing it again does nothing more.
    const again = await t.chatkit({ type: "threads.custom_action", params: { thread_id: threadId, item_id: card.item.id, action: card.item.widget.confirm.action } });
    expect(again.events!.at(-1)).toMatchObject({ type: "error", code: "custom", message: expect.stringContaining("nothing waiting for approval") });
    expect((await t.db.pool.query("SELECT count(*)::int AS n FROM bills")).rows[0].n).toBe(1);

    // And the whole thread, card included, is still there after another restart.
    await t.restart();
    const thread = await t.chatkit({ type: "threads.get_by_id", params: { thread_id: threadId } });
    expect(thread.json.items.data.map((i: any) => i.type)).toEqual(["user_message", "assistant_message", "widget", "assistant_message"]);
    expect(thread.json.items.data[2].widget.children[0].value).toBe("Approved");
    expect(thread.json.title).toBe("Bill Ali for one shampoo");
  });

  it("a typed 'no' rejects the pending write and nothing changes; a typed 'yes' approves", async () => {
    scriptBill("ck_no");
    const before = await databaseChecksum(t.db.pool);
    const created = await t.chatkit({ type: "threads.create", params: { input: input("Bill Ali for one shampoo") } });
    const threadId = (created.events![0] as any).thread.id;
    t.model.enqueue([assistantMessage("OK, no bill.")]);
    const no = await t.chatkit({ type: "threads.add_user_message", params: { thread_id: threadId, input: input("no") } });
    expect((no.events!.find((e) => e.type === "thread.item.done" && (e as any).item.type === "assistant_message") as any).item.content[0].text).toBe("OK, no bill.");
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    scriptBill("ck_yes");
    await t.chatkit({ type: "threads.add_user_message", params: { thread_id: threadId, input: input("Actually, bill it") } });
    t.model.enqueue([assistantMessage("Done.")]);
    await t.chatkit({ type: "threads.add_user_message", params: { thread_id: threadId, input: input("yes") } });
    expect((await t.db.pool.query("SELECT count(*)::int AS n FROM bills")).rows[0].n).toBe(2);
    t.model.assertComplete();
  });

  it("a failed answer is reported as an error event, and ChatKit's retry answers the message again", async () => {
    t.model.enqueue(modelError(new Error("Gemini is over quota")));
    const created = await t.chatkit({ type: "threads.create", params: { input: input("How much sugar is left?") } });
    expect(created.events!.find((e) => e.type === "error")).toEqual({ type: "error", code: "custom", message: "The assistant failed: Gemini is over quota", allow_retry: true });
    const threadId = (created.events![0] as any).thread.id;
    const userItem = (created.events![1] as any).item;

    t.model.enqueue(
      modelResponder((call) => {
        // The failed attempt left nothing behind: the model sees the question once.
        expect((call.request.input as any[]).filter((i) => i.role === "user")).toHaveLength(1);
        return [assistantMessage("Sugar: 50 kg left.")];
      }),
    );
    const retried = await t.chatkit({ type: "threads.retry_after_item", params: { thread_id: threadId, item_id: userItem.id } });
    expect(types(retried.events!)).toEqual([
      "stream_options",
      "thread.item.added",
      "thread.item.updated:assistant_message.content_part.added",
      "thread.item.updated:assistant_message.content_part.text_delta",
      "thread.item.updated:assistant_message.content_part.done",
      "done:assistant_message",
    ]);
    const thread = await t.chatkit({ type: "threads.get_by_id", params: { thread_id: threadId } });
    expect(thread.json.items.data.map((i: any) => i.type)).toEqual(["user_message", "assistant_message"]);
    t.model.assertComplete();
  });

  it("threads.delete removes the thread, its items and its agent session", async () => {
    t.model.enqueue([assistantMessage("Hi.")]);
    const created = await t.chatkit({ type: "threads.create", params: { input: input("hi") } });
    const threadId = (created.events![0] as any).thread.id;
    expect((await t.chatkit({ type: "threads.delete", params: { thread_id: threadId } })).json).toEqual({});
    expect((await t.chatkit({ type: "threads.get_by_id", params: { thread_id: threadId } })).status).toBe(404);
    const left = await t.db.pool.query("SELECT (SELECT count(*) FROM chatkit_items WHERE thread_id = $1)::int AS items, (SELECT count(*) FROM agent_sessions WHERE id = $1)::int AS sessions", [threadId]);
    expect(left.rows[0]).toEqual({ items: 0, sessions: 0 });
  });
});

describe("/chatkit when the browser goes away", () => {
  it("finishes and saves the answer even if the stream is abandoned", async () => {
    t.model.enqueue([assistantMessage("Saved anyway.")]);
    const controller = new AbortController();
    const res = await fetch(`${t.base}/chatkit`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await t.headersFor("OWNER")) },
      body: JSON.stringify({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "bye" }], attachments: [], inference_options: {} } } }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const threadId = JSON.parse(first.split("\n")[0]!.slice(6)).thread.id;
    controller.abort();
    // The server is still up, and the thread ends up with the answer (polled: the turn ends on its own time).
    let items: string[] = [];
    for (let i = 0; i < 100 && !items.includes("assistant_message"); i++) {
      const thread = await t.chatkit({ type: "threads.get_by_id", params: { thread_id: threadId } });
      items = thread.json.items.data.map((it: any) => it.type);
      if (!items.includes("assistant_message")) await new Promise((r) => setTimeout(r, 50));
    }
    expect(items).toEqual(["user_message", "assistant_message"]);
    t.model.assertComplete();
  });
});
