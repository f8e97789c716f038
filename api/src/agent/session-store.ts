// Conversation memory in PostgreSQL: each session's history item by item
// (the Agents SDK's input items), and the serialized run paused for approval.
// Nothing lives in process memory, so a restart loses nothing.
import crypto from "node:crypto";
import type { AgentInputItem } from "@openai/agents";
import type { Database } from "../db/database.ts";
import { HttpError } from "../http/errors.ts";

export function newSessionId() {
  return `sess_${crypto.randomBytes(12).toString("hex")}`;
}

export interface StoredSession {
  id: string;
  history: AgentInputItem[];
  pendingState: string | null;
}

export class AgentSessionStore {
  constructor(private readonly db: Database) {}

  /**
   * Loads a session, creating it on first use for `owner`. Someone else's
   * session is "not found": one user can neither read nor continue another's.
   */
  async open(id: string, owner?: string): Promise<StoredSession> {
    const session = await this.db.prisma.agentSession.upsert({
      where: { id },
      create: { id, owner: owner ?? null },
      update: {},
      include: { items: { orderBy: { id: "asc" }, select: { item: true } } },
    });
    if (owner !== undefined && session.owner !== owner) throw new HttpError(404, "NOT_FOUND", `No conversation ${id}`);
    return { id, history: session.items.map((i) => i.item as unknown as AgentInputItem), pendingState: session.pendingState };
  }

  async exists(id: string, owner?: string) {
    return (await this.db.prisma.agentSession.count({ where: { id, ...(owner !== undefined ? { owner } : {}) } })) > 0;
  }

  /** Pauses the session on a run that waits for the user's approval. */
  async setPending(id: string, state: string) {
    await this.db.prisma.agentSession.update({ where: { id }, data: { pendingState: state, updatedAt: new Date() } });
  }

  /**
   * Takes the paused run for resuming, atomically: only one request (in any
   * API process) can resume a given pause, so an approved write runs once.
   */
  async claimPending(id: string, state: string): Promise<boolean> {
    const { count } = await this.db.prisma.agentSession.updateMany({ where: { id, pendingState: state }, data: { pendingState: null, updatedAt: new Date() } });
    return count === 1;
  }

  /** Appends a finished turn's items and clears any paused run, in one transaction. */
  async completeTurn(id: string, items: AgentInputItem[]) {
    await this.db.prisma.$transaction([
      this.db.prisma.agentSessionItem.createMany({ data: items.map((item) => ({ sessionId: id, item: item as never })) }),
      this.db.prisma.agentSession.update({ where: { id }, data: { pendingState: null, updatedAt: new Date() } }),
    ]);
  }

  async delete(id: string) {
    await this.db.prisma.agentSession.deleteMany({ where: { id } });
  }
}
