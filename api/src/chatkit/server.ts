// The ChatKit self-hosted backend protocol on POST /chatkit: threads.create,
// threads.add_user_message, threads.custom_action and threads.retry_after_item answer with SSE events;
// threads.get_by_id, threads.list, items.list, threads.update, threads.delete
// (and items.feedback) answer with JSON — shaped like the official Python server.
//
// Approvals: when the assistant wants to write, the turn ends with a widget
// item (a Card whose confirm/cancel buttons send a `storelite.approval`
// custom action); a plain "yes" / "no" message answers it too.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Assistant, PendingApproval, Principal, TurnEvent } from "../agent/agent.ts";
import type { Database } from "../db/database.ts";
import { MISSING_KEY_MESSAGE } from "../agent/config.ts";
import { cors, principalOf, sendJson, startSse, writeSse } from "../agent/http.ts";
import { needsApproval } from "../agent/mcp.ts";
import { readJson } from "../http/body.ts";
import { HttpError } from "../http/errors.ts";
import { outputText, page, requests, serializeItem, serializeThread, STREAMING_TYPES, type RequestType, type UserInput } from "./protocol.ts";
import { ChatKitStore, newId, NotFound, type ItemRecord, type ThreadRecord } from "./store.ts";

const DEFAULT_PAGE_SIZE = 20;
export const APPROVAL_ACTION = "storelite.approval";

type Emit = (event: Record<string, unknown>) => void;
type Outcome = { kind: "json"; body: unknown } | { kind: "stream"; run: (emit: Emit) => Promise<void> };

const PROGRESS: Record<string, string> = {
  inventory_list_items: "Checking inventory...",
  inventory_add_item: "Adding the item...",
  inventory_update_item: "Updating the item...",
  inventory_adjust_stock: "Updating stock...",
  billing_create_bill: "Creating the bill...",
  billing_get_bill: "Looking up the bill...",
  billing_list_bills: "Looking up bills...",
};

function userText(content: UserInput["content"]) {
  return content
    .filter((c) => c.type === "input_text" && typeof c.text === "string")
    .map((c) => c.text as string)
    .join("\n")
    .trim();
}

/** A short title from the first message, like ChatKit's own thread titles. */
export function titleFrom(text: string) {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= 40) return clean || "New chat";
  const cut = clean.slice(0, 40);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 20 ? cut.lastIndexOf(" ") : 40)}…`;
}

export function approvalWidget(approval: PendingApproval, resolved?: boolean) {
  return {
    type: "Card",
    size: "md",
    children: [
      { type: "Title", value: resolved === undefined ? "Approve this change?" : resolved ? "Approved" : "Rejected", size: "sm" },
      { type: "Text", value: approval.summary },
      ...(resolved === undefined ? [{ type: "Caption", value: "Nothing changes until you approve. You can also reply “yes” or “no”." }] : []),
    ],
    ...(resolved === undefined
      ? {
          confirm: { label: "Approve", action: { type: APPROVAL_ACTION, payload: { approval_id: approval.id, approve: true } } },
          cancel: { label: "Reject", action: { type: APPROVAL_ACTION, payload: { approval_id: approval.id, approve: false } } },
        }
      : {}),
  };
}

/** Streams one assistant message as ChatKit does: added, part added, deltas, part done, item done. */
class MessageWriter {
  #item?: ItemRecord;
  #text = "";
  #chain: Promise<void> = Promise.resolve();
  wrote = false;

  constructor(
    private readonly emit: Emit,
    private readonly store: ChatKitStore,
    private readonly threadId: string,
  ) {}

  delta(delta: string) {
    if (!delta) return;
    if (!this.#item) {
      this.#item = { id: newId("msg"), threadId: this.threadId, type: "assistant_message", data: { content: [] }, createdAt: new Date() };
      this.#text = "";
      this.emit({ type: "thread.item.added", item: serializeItem(this.#item) });
      this.emit({ type: "thread.item.updated", item_id: this.#item.id, update: { type: "assistant_message.content_part.added", content_index: 0, content: outputText("") } });
    }
    this.#text += delta;
    this.wrote = true;
    this.emit({ type: "thread.item.updated", item_id: this.#item.id, update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta } });
  }

  /** Finishes the open message (if any); saved in order with everything else. */
  close() {
    const item = this.#item;
    if (!item) return;
    this.#item = undefined;
    const done: ItemRecord = { ...item, data: { content: [outputText(this.#text)] } };
    this.emit({ type: "thread.item.updated", item_id: item.id, update: { type: "assistant_message.content_part.done", content_index: 0, content: outputText(this.#text) } });
    this.then(async () => {
      await this.store.addItem(done);
      this.emit({ type: "thread.item.done", item: serializeItem(done) });
    });
  }

  full(text: string) {
    this.delta(text);
    this.close();
  }

  then(fn: () => Promise<void> | void) {
    this.#chain = this.#chain.then(fn);
  }

  async flush() {
    this.close();
    await this.#chain;
  }
}

export class ChatKitServer {
  readonly store: ChatKitStore;

  constructor(
    private readonly deps: { assistant: Assistant; store: ChatKitStore; log: (m: string) => void; principal?: Principal },
  ) {
    this.store = deps.store;
  }

  /** Answers one request for one principal: their threads only, the assistant with their rights. */
  async process(body: unknown, principal?: Principal): Promise<Outcome> {
    if (principal && principal !== this.deps.principal) {
      return new ChatKitServer({ ...this.deps, store: this.deps.store.forOwner(principal.owner), principal }).process(body, principal);
    }
    const req = body as { type?: unknown; params?: unknown };
    if (!req || typeof req !== "object" || typeof req.type !== "string") {
      throw new HttpError(400, "BAD_REQUEST", 'A ChatKit request is a JSON object {"type": "...", "params": {...}}.');
    }
    if (!(req.type in requests)) {
      throw new HttpError(400, "UNSUPPORTED_REQUEST_TYPE", `Unsupported ChatKit request type "${req.type}". Supported: ${Object.keys(requests).join(", ")}.`);
    }
    const type = req.type as RequestType;
    const parsed = requests[type].safeParse(req.params ?? {});
    if (!parsed.success) {
      throw new HttpError(400, "BAD_REQUEST", `Invalid params for ${type}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`);
    }
    const params = parsed.data as Record<string, any>;
    try {
      if (STREAMING_TYPES.has(type)) return { kind: "stream", run: await this.#streaming(type, params) };
      return { kind: "json", body: await this.#nonStreaming(type, params) };
    } catch (err) {
      if (err instanceof NotFound) throw new HttpError(404, "NOT_FOUND", err.message);
      throw err;
    }
  }

  async #nonStreaming(type: RequestType, p: Record<string, any>): Promise<unknown> {
    const { store } = this;
    switch (type) {
      case "threads.get_by_id": {
        const thread = await store.loadThread(p.thread_id);
        return serializeThread(thread, await store.listItems(thread.id, DEFAULT_PAGE_SIZE, "asc"));
      }
      case "threads.list": {
        const threads = await store.listThreads(p.limit ?? DEFAULT_PAGE_SIZE, p.order, p.after ?? undefined);
        return page(threads, (t) => serializeThread(t));
      }
      case "items.list": {
        const items = await store.listItems(p.thread_id, p.limit ?? DEFAULT_PAGE_SIZE, p.order, p.after ?? undefined);
        return page(items, serializeItem);
      }
      case "threads.update": {
        await store.saveTitle(p.thread_id, p.title);
        return serializeThread(await store.loadThread(p.thread_id));
      }
      case "threads.delete": {
        await store.deleteThread(p.thread_id);
        await this.deps.assistant.store.delete(p.thread_id);
        return {};
      }
      case "items.feedback":
        await store.loadThread(p.thread_id);
        return {};
      default:
        throw new HttpError(400, "UNSUPPORTED_REQUEST_TYPE", `Unsupported ChatKit request type "${type}"`);
    }
  }

  async #streaming(type: RequestType, p: Record<string, any>): Promise<(emit: Emit) => Promise<void>> {
    const { store } = this;
    if (type === "threads.create") {
      return async (emit) => {
        const thread: ThreadRecord = { id: newId("thr"), title: null, status: { type: "active" }, metadata: {}, createdAt: new Date() };
        await store.createThread(thread);
        emit({ type: "thread.created", thread: serializeThread(thread) });
        await this.#userTurn(thread, p.input, emit);
      };
    }
    const thread = await store.loadThread(p.thread_id);
    if (type === "threads.add_user_message") return (emit) => this.#userTurn(thread, p.input, emit);

    if (type === "threads.retry_after_item") {
      // ChatKit's "retry" after an error: drop what followed that user message and answer it again.
      const item = await store.loadItem(thread.id, p.item_id);
      if (item.type !== "user_message") throw new HttpError(400, "BAD_REQUEST", `Item ${item.id} is not a user message`);
      const text = userText(item.data.content as UserInput["content"]);
      return async (emit) => {
        await store.deleteItemsAfter(thread.id, item.id);
        emit({ type: "stream_options", stream_options: { allow_cancel: true } });
        await this.#respond(thread, emit, { message: text || " " });
      };
    }

    // threads.custom_action: the approval card's buttons.
    const action = p.action as { type: string; payload?: { approval_id?: unknown; approve?: unknown } };
    if (action.type !== APPROVAL_ACTION || typeof action.payload?.approval_id !== "string" || typeof action.payload?.approve !== "boolean") {
      throw new HttpError(400, "UNSUPPORTED_ACTION", `Unsupported action "${action.type}"; the only action is ${APPROVAL_ACTION} with payload {approval_id, approve}.`);
    }
    const sender = p.item_id ? await store.loadItem(thread.id, p.item_id) : undefined;
    const decision = { id: action.payload.approval_id, approve: action.payload.approve };
    return async (emit) => {
      emit({ type: "stream_options", stream_options: { allow_cancel: true } });
      const waiting = this.deps.assistant.configured ? await this.deps.assistant.pending(thread.id, this.#principal()) : [];
      if (!waiting.some((w) => w.id === decision.id)) {
        emit({ type: "error", code: "custom", message: "This approval was already answered; there is nothing waiting for approval.", allow_retry: false });
        return;
      }
      // The card shows the decision at once; the assistant's answer follows.
      const approval = sender?.type === "widget" ? (sender.data.approval as PendingApproval | undefined) : undefined;
      if (sender && approval) {
        const replaced: ItemRecord = { ...sender, data: { ...sender.data, widget: approvalWidget(approval, decision.approve) } };
        await store.saveItem(replaced);
        emit({ type: "thread.item.replaced", item: serializeItem({ ...replaced, data: { widget: replaced.data.widget, copy_text: replaced.data.copy_text } }) });
      }
      await this.#respond(thread, emit, { approvals: [decision] });
    };
  }

  async #userTurn(thread: ThreadRecord, input: UserInput, emit: Emit) {
    const user: ItemRecord = {
      id: newId("msg"),
      threadId: thread.id,
      type: "user_message",
      data: { content: input.content, attachments: [], quoted_text: input.quoted_text ?? undefined, inference_options: input.inference_options ?? {} },
      createdAt: new Date(),
    };
    await this.store.addItem(user);
    emit({ type: "thread.item.done", item: serializeItem(user) });
    emit({ type: "stream_options", stream_options: { allow_cancel: true } });
    const text = userText(input.content);
    await this.#respond(thread, emit, { message: text || " " });
    if (thread.title === null) {
      thread.title = titleFrom(text);
      await this.store.saveTitle(thread.id, thread.title);
      emit({ type: "thread.updated", thread: serializeThread(thread) });
    }
  }

  #principal(): Principal {
    if (!this.deps.principal) throw new HttpError(401, "UNAUTHENTICATED", "Sign in first: the assistant acts for a signed-in person or an API token");
    return this.deps.principal;
  }

  /** Runs the assistant for this thread (its agent session has the thread's id) and streams what it says and asks. */
  async #respond(thread: ThreadRecord, emit: Emit, input: { message?: string; approvals?: { id: string; approve: boolean }[] }) {
    const writer = new MessageWriter(emit, this.store, thread.id);
    const { assistant } = this.deps;
    if (!assistant.configured) {
      writer.full(MISSING_KEY_MESSAGE);
      await writer.flush();
      return;
    }
    try {
      const result = await assistant.turn({ sessionId: thread.id, principal: this.#principal(), ...input }, (e: TurnEvent) => {
        if (e.type === "text_delta") writer.delta(e.delta);
        else if (e.type === "tool_called") {
          writer.close();
          // A write waits for approval first; its card says what it will do.
          if (!needsApproval(e.tool)) writer.then(() => emit({ type: "progress_update", text: PROGRESS[e.tool] ?? "Working..." }));
        }
      });
      if (!writer.wrote && result.reply) writer.full(result.reply);
      await writer.flush();
      for (const approval of result.pending_approvals) {
        const item: ItemRecord = { id: newId("wdg"), threadId: thread.id, type: "widget", data: { widget: approvalWidget(approval), copy_text: approval.summary, approval }, createdAt: new Date() };
        await this.store.addItem(item);
        emit({ type: "thread.item.done", item: serializeItem({ ...item, data: { widget: item.data.widget, copy_text: item.data.copy_text } }) });
      }
    } catch (err) {
      await writer.flush().catch(() => {});
      const message = err instanceof HttpError ? err.message : `The assistant failed: ${(err as Error).message}`;
      if (!(err instanceof HttpError)) this.deps.log(`chatkit: assistant turn failed: ${(err as Error).stack ?? String(err)}`);
      emit({ type: "error", code: "custom", message, allow_retry: !(err instanceof HttpError) });
    }
  }
}

export function chatkitHandler(opts: { db: Database; server: ChatKitServer; maxBodyBytes: number; corsOrigin: string; log: (m: string) => void }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    cors(res, opts.corsOrigin);
    if (req.method === "OPTIONS") {
      res.writeHead(204);
      return void res.end();
    }
    if (url.pathname.replace(/\/+$/, "") !== "/chatkit") throw new HttpError(404, "NOT_FOUND", `No such endpoint: ${req.method} ${url.pathname}`);
    if (req.method !== "POST") throw new HttpError(405, "METHOD_NOT_ALLOWED", "ChatKit requests are POST /chatkit with a JSON body");
    const principal = await principalOf(opts.db, req);
    const outcome = await opts.server.process(await readJson(req, opts.maxBodyBytes), principal);
    if (outcome.kind === "json") return sendJson(res, 200, outcome.body);
    startSse(res);
    try {
      await outcome.run((event) => writeSse(res, event));
    } catch (err) {
      // Headers are gone already: report in the stream, as the Python server does.
      opts.log(`chatkit: stream failed: ${(err as Error).stack ?? String(err)}`);
      writeSse(res, { type: "error", code: "stream.error", allow_retry: true });
    } finally {
      res.end();
    }
  };
}
