// ChatKit's wire format, key for key as the official Python server writes it
// (pydantic, exclude_none): see ../shared/reference/chatkit-protocol-golden.txt.
// Objects are built in field order here because PostgreSQL's jsonb does not keep it.
import { z } from "zod";
import type { ItemRecord, Page, ThreadRecord } from "./store.ts";

/** Python's naive `datetime.isoformat()`: microseconds, no zone; no fraction when it is zero. */
export function isoformat(d: Date): string {
  const iso = d.toISOString().slice(0, 23); // YYYY-MM-DDTHH:MM:SS.mmm (UTC)
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? iso.slice(0, 19) : `${iso}000`;
}

type Json = Record<string, unknown>;

function status(s: Json): Json {
  return { ...(typeof s.type === "string" ? { type: s.type } : {}), ...s };
}

function inputContent(part: unknown): unknown {
  const p = part as Json;
  if (p?.type === "input_text") return { type: "input_text", text: p.text };
  return p;
}

function outputContent(part: unknown): unknown {
  const p = part as Json;
  if (p?.type === "output_text") return { annotations: p.annotations ?? [], text: p.text ?? "", type: "output_text" };
  return p;
}

function dropUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

export function serializeItem(item: ItemRecord): Json {
  const head = { id: item.id, thread_id: item.threadId, created_at: isoformat(item.createdAt), type: item.type };
  const d = item.data;
  switch (item.type) {
    case "user_message":
      return dropUndefined({
        ...head,
        content: ((d.content as unknown[]) ?? []).map(inputContent),
        attachments: d.attachments ?? [],
        quoted_text: d.quoted_text,
        inference_options: dropUndefined((d.inference_options as Json) ?? {}),
      });
    case "assistant_message":
      return { ...head, content: ((d.content as unknown[]) ?? []).map(outputContent) };
    case "widget":
      return dropUndefined({ ...head, widget: d.widget, copy_text: d.copy_text });
    default:
      return { ...head, ...d };
  }
}

export function serializeThread(thread: ThreadRecord, items: Page<ItemRecord> = { data: [], hasMore: false }): Json {
  return {
    ...(thread.title !== null ? { title: thread.title } : {}),
    id: thread.id,
    created_at: isoformat(thread.createdAt),
    status: status(thread.status),
    metadata: thread.metadata ?? {},
    items: page(items, serializeItem),
  };
}

export function page<T>(p: Page<T>, fn: (x: T) => Json) {
  return { data: p.data.map(fn), has_more: p.hasMore };
}

/** An assistant message's single text part, as in content_part.added / done. */
export const outputText = (text: string) => ({ annotations: [], text, type: "output_text" });

// ---- requests ----

const userInput = z
  .object({
    content: z.array(z.looseObject({ type: z.string() })),
    attachments: z.array(z.string()).default([]),
    quoted_text: z.string().nullish(),
    inference_options: z.looseObject({}).default({}),
  })
  .loose();

const threadId = z.string().min(1).max(100);
// Any positive page size is accepted (the Python server has no maximum); pages are capped at 100.
const limit = z
  .number()
  .int()
  .min(1)
  .nullish()
  .transform((n) => (n == null ? n : Math.min(n, 100)));
const order = z.enum(["asc", "desc"]).default("desc");

export const requests = {
  "threads.create": z.object({ input: userInput }).loose(),
  "threads.add_user_message": z.object({ thread_id: threadId, input: userInput }).loose(),
  "threads.custom_action": z
    .object({ thread_id: threadId, item_id: z.string().nullish(), action: z.looseObject({ type: z.string(), payload: z.unknown().optional() }) })
    .loose(),
  "threads.get_by_id": z.object({ thread_id: threadId }).loose(),
  "threads.list": z.object({ limit, order, after: z.string().nullish() }).loose(),
  "items.list": z.object({ thread_id: threadId, limit, order, after: z.string().nullish() }).loose(),
  "threads.update": z.object({ thread_id: threadId, title: z.string().max(200) }).loose(),
  "threads.delete": z.object({ thread_id: threadId }).loose(),
  "threads.retry_after_item": z.object({ thread_id: threadId, item_id: z.string().min(1) }).loose(),
  "items.feedback": z.object({ thread_id: threadId, item_ids: z.array(z.string()), kind: z.string() }).loose(),
} as const;

export type RequestType = keyof typeof requests;
export const STREAMING_TYPES = new Set<RequestType>(["threads.create", "threads.add_user_message", "threads.custom_action", "threads.retry_after_item"]);
export type UserInput = z.infer<typeof userInput>;
