// The assistant's HTTP front door: POST /agent/chat (JSON, or SSE with
// `Accept: text/event-stream`), POST /agent/chat/stream (SSE), GET /agent/status.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { readJson } from "../http/body.ts";
import { HttpError } from "../http/errors.ts";
import type { Database } from "../db/database.ts";
import { actorOwnerKey } from "../domain/access.ts";
import { authenticateRequest } from "../http/auth.ts";
import type { Assistant, Principal, TurnEvent } from "./agent.ts";
import { MISSING_KEY_MESSAGE } from "./config.ts";

const sessionId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, _ and - only");
const decision = z.object({ id: z.string().min(1), approve: z.boolean() });

export const chatRequest = z
  .object({
    session_id: sessionId.optional(),
    message: z.string().trim().min(1, "must not be empty").max(4000).optional(),
    approval: decision.optional(),
    approvals: z.array(decision).max(20).optional(),
  })
  .refine((b) => b.message !== undefined || b.approval !== undefined || (b.approvals?.length ?? 0) > 0, {
    message: "send a `message`, or an `approval: {id, approve}` for a pending action",
  });

/** Headers that let the web app (another origin in development) call the assistant. */
export function cors(res: ServerResponse, origin: string) {
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
  res.setHeader("access-control-allow-headers", "content-type, authorization, x-requested-with");
  res.setHeader("access-control-max-age", "600");
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function startSse(res: ServerResponse) {
  // A browser that goes away mid-answer must not take the server down: the turn still finishes and is saved.
  res.on("error", () => {});
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  res.flushHeaders();
}

export function writeSse(res: ServerResponse, data: unknown) {
  if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(data)}\n\n`);
}

function parseChat(body: unknown) {
  const parsed = chatRequest.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(400, "BAD_REQUEST", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  const b = parsed.data;
  return { sessionId: b.session_id, message: b.message, approvals: [...(b.approval ? [b.approval] : []), ...(b.approvals ?? [])] };
}

/** Who is asking the assistant: a signed-in person (cookie) or a bearer session/API token; 401 otherwise. */
export async function principalOf(db: Database, req: IncomingMessage): Promise<Principal> {
  const auth = await authenticateRequest(db, req);
  if (auth.actor.kind === "anonymous") throw new HttpError(401, "UNAUTHENTICATED", auth.actor.reason ?? "Sign in first: the assistant acts for a signed-in person or an API token");
  return { owner: actorOwnerKey(auth.actor), credential: auth.credential };
}

export function agentHandler(opts: { db: Database; assistant: Assistant; maxBodyBytes: number; corsOrigin: string; modelName: string }) {
  const { assistant } = opts;
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    cors(res, opts.corsOrigin);
    if (req.method === "OPTIONS") {
      res.writeHead(204);
      return void res.end();
    }
    const path = url.pathname.replace(/\/+$/, "");
    if (path === "/agent/status" && req.method === "GET") {
      return sendJson(res, 200, assistant.configured ? { configured: true, model: opts.modelName } : { configured: false, model: opts.modelName, message: MISSING_KEY_MESSAGE });
    }
    if (path !== "/agent/chat" && path !== "/agent/chat/stream") throw new HttpError(404, "NOT_FOUND", `No such endpoint: ${req.method} ${url.pathname}`);
    if (req.method !== "POST") throw new HttpError(405, "METHOD_NOT_ALLOWED", `Use POST ${path}`);
    const principal = await principalOf(opts.db, req);
    if (!assistant.configured) throw new HttpError(503, "ASSISTANT_NOT_CONFIGURED", MISSING_KEY_MESSAGE);
    const input = { ...parseChat(await readJson(req, opts.maxBodyBytes)), principal };

    const streaming = path === "/agent/chat/stream" || (req.headers.accept ?? "").includes("text/event-stream");
    if (!streaming) {
      let result;
      try {
        result = await assistant.turn(input);
      } catch (err) {
        // The model provider failing (network, quota, bad key) is not our internal error: say what happened.
        if (err instanceof HttpError) throw err;
        throw new HttpError(502, "ASSISTANT_FAILED", `The assistant failed: ${(err as Error).message}`);
      }
      return sendJson(res, 200, result);
    }

    startSse(res);
    try {
      const result = await assistant.turn(input, (e: TurnEvent) => writeSse(res, e));
      writeSse(res, { type: "done", result });
    } catch (err) {
      const e = err instanceof HttpError ? { code: err.code, message: err.message } : { code: "ASSISTANT_FAILED", message: `The assistant failed: ${(err as Error).message}` };
      writeSse(res, { type: "error", error: e });
    }
    res.end();
  };
}
