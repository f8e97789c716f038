// Test harness for the assistant: the real API server (createApp) on a fresh
// database, with a scripted model and MCP tools handed in. Only the model is
// scripted; the tools are StoreLite's MCP server, reached over MCP.
import type { MCPServer } from "@openai/agents";
import { ScriptedModel } from "@openai/agents/testing";
import { afterAll, beforeAll } from "vitest";
import type { Database } from "../db/database.ts";
import { createApp, type App } from "../http/server.ts";
import type { Role } from "../domain/access.ts";
import { signedInStaff, useTestDatabase } from "../testing/fixtures.ts";
import type { AssistantOptions } from "./index.ts";

export interface SseEvent {
  [key: string]: unknown;
  type: string;
}

/** Splits an SSE body into its `data:` JSON events. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      if (!block.startsWith("data: ")) throw new Error(`not an SSE data event: ${block}`);
      return JSON.parse(block.slice(6)) as SseEvent;
    });
}

/**
 * `mcpServers` defaults to the production path: the stdio MCP server as a child
 * process on the test database. Requests act as a signed-in owner unless they
 * pass another caller's headers (`headersFor("CASHIER")`).
 */
export function useAssistantServer(opts: { mcpServers?: (db: Database) => MCPServer[]; scripted?: boolean; config?: AssistantOptions["config"] }) {
  const database = useTestDatabase();
  const model = new ScriptedModel();
  let app: App | undefined;
  let base = "";
  const roles = new Map<Role, Promise<Record<string, string>>>();
  const headersFor = (role: Role): Promise<Record<string, string>> => {
    let found = roles.get(role);
    if (!found) {
      found = signedInStaff(database.db, role).then((s) => ({ authorization: `Bearer ${s.token}` }));
      roles.set(role, found);
    }
    return found;
  };

  async function start() {
    app = await createApp({
      db: database.db,
      env: { introspection: true, STORELITE_MAX_BODY_BYTES: 1_000_000 },
      log: process.env.STORELITE_TEST_LOG ? (m) => console.error(m) : () => {},
      assistant: {
        model: opts.scripted === false ? undefined : model,
        ...(opts.mcpServers ? { mcpServers: () => opts.mcpServers!(database.db) } : {}),
        config: { apiKey: undefined, ...opts.config },
      },
    });
    base = await app.listen(0, "127.0.0.1");
  }

  beforeAll(async () => {
    await start();
    await headersFor("OWNER");
  });
  afterAll(async () => {
    await app?.close();
  });

  async function post(path: string, body: unknown, headers?: Record<string, string>) {
    // The owner unless the headers name someone (or "" for nobody) themselves.
    const who = headers && "authorization" in headers ? {} : await headersFor("OWNER");
    return fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...who, ...headers }, body: JSON.stringify(body) });
  }

  return {
    model,
    get db() {
      return database.db;
    },
    get base() {
      return base;
    },
    post,
    /** The Authorization header of a signed-in staff member with this role (the owner by default elsewhere). */
    headersFor,
    /** POST /agent/chat; returns status and JSON body. */
    async chat(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }> {
      const res = await post("/agent/chat", body, headers);
      return { status: res.status, body: await res.json() };
    },
    /** POST /chatkit; JSON answers parsed, SSE answers split into events. */
    async chatkit(body: unknown, headers?: Record<string, string>): Promise<{ status: number; contentType: string; json?: any; events?: SseEvent[]; raw: string }> {
      const res = await post("/chatkit", body, headers);
      const raw = await res.text();
      const contentType = res.headers.get("content-type") ?? "";
      if (contentType.startsWith("text/event-stream")) return { status: res.status, contentType, events: parseSse(raw), raw };
      return { status: res.status, contentType, json: JSON.parse(raw), raw };
    },
    /** Stops the API server and starts a new one on the same database: nothing may live only in memory. */
    async restart() {
      await app?.close();
      await start();
    },
  };
}

export interface SeenToolOutput {
  name: string;
  callId: string;
  text: string;
  /** The JSON data after the MCP tool's summary line, when there is some. */
  data?: any;
}

function outputText(output: any): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return output.map(outputText).join("\n");
  if (output && typeof output.text === "string") return output.text;
  return JSON.stringify(output);
}

/** The tool results the model is shown in a request (what a real model would read ids and prices from). */
export function toolOutputsIn(request: { input: unknown }): SeenToolOutput[] {
  const input = Array.isArray(request.input) ? (request.input as Record<string, any>[]) : [];
  return input
    .filter((i) => i.type === "function_call_result")
    .map((i) => {
      const output = i.output;
      const text: string = outputText(output);
      const at = text.indexOf("{");
      let data: unknown;
      if (at >= 0) {
        try {
          data = JSON.parse(text.slice(at));
        } catch {}
      }
      return { name: i.name as string, callId: i.callId as string, text, data };
    });
}

/** The user messages in a request, oldest first. */
export function userMessagesIn(request: { input: unknown }): string[] {
  const input = Array.isArray(request.input) ? (request.input as Record<string, any>[]) : [];
  return input.filter((i) => i.role === "user").map((i) => (typeof i.content === "string" ? i.content : JSON.stringify(i.content)));
}
