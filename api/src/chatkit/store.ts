// ChatKit threads and thread items in PostgreSQL. Items keep their insertion
// order (a serial `seq`), which is the order ChatKit shows them in.
import crypto from "node:crypto";
import type { Database } from "../db/database.ts";
import { Prisma } from "../generated/prisma/client.ts";

export interface ThreadRecord {
  id: string;
  title: string | null;
  status: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface ItemRecord {
  id: string;
  threadId: string;
  type: string;
  /** The item's type-specific fields (content, attachments, widget, ...). */
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export type Order = "asc" | "desc";

export const newId = (prefix: "thr" | "msg" | "wdg") => `${prefix}_${crypto.randomBytes(6).toString("hex")}`;

export class NotFound extends Error {}

function toThread(row: { id: string; title: string | null; status: unknown; metadata: unknown; createdAt: Date }): ThreadRecord {
  return { id: row.id, title: row.title, status: row.status as Record<string, unknown>, metadata: row.metadata as Record<string, unknown>, createdAt: row.createdAt };
}

function toItem(row: { id: string; threadId: string; type: string; data: unknown; createdAt: Date }): ItemRecord {
  return { id: row.id, threadId: row.threadId, type: row.type, data: row.data as Record<string, unknown>, createdAt: row.createdAt };
}

/**
 * The threads of one owner ("staff:3", "token:7") when `owner` is set: another
 * owner's threads and items are "not found" for every operation.
 */
export class ChatKitStore {
  constructor(
    private readonly db: Database,
    readonly owner?: string,
  ) {}

  /** The same store limited to one owner's threads. */
  forOwner(owner: string): ChatKitStore {
    return new ChatKitStore(this.db, owner);
  }

  get #mine() {
    return this.owner === undefined ? {} : { owner: this.owner };
  }

  async createThread(thread: ThreadRecord) {
    await this.db.prisma.chatkitThread.create({
      data: {
        id: thread.id,
        title: thread.title,
        status: thread.status as Prisma.InputJsonValue,
        metadata: thread.metadata as Prisma.InputJsonValue,
        createdAt: thread.createdAt,
        owner: this.owner ?? null,
      },
    });
  }

  async loadThread(id: string): Promise<ThreadRecord> {
    const row = await this.db.prisma.chatkitThread.findFirst({ where: { id, ...this.#mine } });
    if (!row) throw new NotFound(`Thread ${id} not found`);
    return toThread(row);
  }

  async saveTitle(id: string, title: string | null) {
    const { count } = await this.db.prisma.chatkitThread.updateMany({ where: { id, ...this.#mine }, data: { title } });
    if (count === 0) throw new NotFound(`Thread ${id} not found`);
  }

  async deleteThread(id: string) {
    await this.db.prisma.chatkitThread.deleteMany({ where: { id, ...this.#mine } });
  }

  async listThreads(limit: number, order: Order, after?: string): Promise<Page<ThreadRecord>> {
    if (after) await this.loadThread(after);
    const rows = await this.db.prisma.chatkitThread.findMany({
      where: this.#mine,
      orderBy: [{ createdAt: order }, { id: order }],
      take: limit + 1,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
    return { data: rows.slice(0, limit).map(toThread), hasMore: rows.length > limit };
  }

  async addItem(item: ItemRecord) {
    if (this.owner !== undefined) await this.loadThread(item.threadId);
    await this.db.prisma.chatkitItem.create({
      data: { id: item.id, threadId: item.threadId, type: item.type, data: item.data as Prisma.InputJsonValue, createdAt: item.createdAt },
    });
  }

  async saveItem(item: ItemRecord) {
    await this.db.prisma.chatkitItem.updateMany({ where: { id: item.id, threadId: item.threadId, thread: this.#mine }, data: { data: item.data as Prisma.InputJsonValue } });
  }

  async loadItem(threadId: string, id: string): Promise<ItemRecord> {
    const row = await this.db.prisma.chatkitItem.findFirst({ where: { id, threadId, thread: this.#mine } });
    if (!row) throw new NotFound(`Item ${id} not found in thread ${threadId}`);
    return toItem(row);
  }

  /** Deletes the items added after `id` (ChatKit's retry: answer that message again). */
  async deleteItemsAfter(threadId: string, id: string) {
    const item = await this.db.prisma.chatkitItem.findFirst({ where: { id, threadId, thread: this.#mine }, select: { seq: true } });
    if (!item) throw new NotFound(`Item ${id} not found in thread ${threadId}`);
    await this.db.prisma.chatkitItem.deleteMany({ where: { threadId, seq: { gt: item.seq } } });
  }

  async listItems(threadId: string, limit: number, order: Order, after?: string): Promise<Page<ItemRecord>> {
    await this.loadThread(threadId);
    if (after) await this.loadItem(threadId, after);
    const rows = await this.db.prisma.chatkitItem.findMany({
      where: { threadId },
      orderBy: { seq: order },
      take: limit + 1,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
    return { data: rows.slice(0, limit).map(toItem), hasMore: rows.length > limit };
  }
}
