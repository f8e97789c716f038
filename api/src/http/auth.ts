// How an HTTP request says who it is: the session cookie (browsers) or an
// `Authorization: Bearer` token (scripts, the MCP server, curl). Shared by
// GraphQL, REST and the assistant's endpoints; the domain decides what the
// resulting actor may do.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../db/database.ts";
import { authenticate, type Authenticated } from "../domain/sessions.ts";

export const SESSION_COOKIE = "storelite_session";
/**
 * Cookie-authenticated requests must also carry this header (any value) or an
 * Origin equal to their Host: a cross-site page can make the browser send the
 * cookie but cannot add a custom header without a CORS preflight we never grant.
 */
export const CSRF_HEADER = "x-storelite-csrf";

export interface RequestAuth extends Authenticated {
  via: "cookie" | "bearer" | "none";
  /** The client address for sign-in rate limits. */
  clientAddress: string;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The bearer token, if the request sends one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** Same-origin proof for a cookie: the custom header, or an Origin naming this very host. */
export function cookieRequestIsSameSite(req: IncomingMessage): boolean {
  // Reads change nothing, and a cross-site page cannot read their answers (no CORS); SameSite=Lax allows them too.
  if (req.method === "GET" || req.method === "HEAD") return true;
  if (req.headers[CSRF_HEADER] !== undefined) return true;
  // Set by the browser itself on every request; a page cannot forge it.
  if (req.headers["sec-fetch-site"] === "same-origin") return true;
  const origin = req.headers.origin;
  if (!origin || !req.headers.host) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * The client's address for sign-in rate limits. Requests forwarded by the web
 * app on this machine carry the browser's address in X-Forwarded-For (its last
 * entry, the one the forwarder added); from anywhere else that header is ignored.
 */
export function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  const forwarded = req.headers["x-forwarded-for"];
  if (LOOPBACK.has(peer) && typeof forwarded === "string" && forwarded.trim()) return forwarded.split(",").at(-1)!.trim();
  return peer;
}

export async function authenticateRequest(db: Database, req: IncomingMessage): Promise<RequestAuth> {
  const address = clientAddress(req);
  const bearer = bearerToken(req);
  if (bearer) return { ...(await authenticate(db, bearer)), via: "bearer", clientAddress: address };
  const cookie = readCookie(req, SESSION_COOKIE);
  if (cookie) {
    if (!cookieRequestIsSameSite(req)) {
      return {
        actor: { kind: "anonymous", reason: `A session cookie counts only on same-origin requests: send the ${CSRF_HEADER} header` },
        via: "cookie",
        clientAddress: address,
      };
    }
    return { ...(await authenticate(db, cookie)), via: "cookie", clientAddress: address };
  }
  return { actor: { kind: "anonymous" }, via: "none", clientAddress: address };
}

/** The Set-Cookie value for a session token (or its removal): httpOnly, SameSite=Lax, Secure under https. */
export function sessionCookie(token: string | null, opts: { secure: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${SESSION_COOKIE}=${token ? encodeURIComponent(token) : ""}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (opts.secure) parts.push("Secure");
  parts.push(`Max-Age=${token ? Math.floor(opts.maxAgeSeconds ?? 7 * 24 * 3600) : 0}`);
  return parts.join("; ");
}

/** Behind a TLS proxy the request arrives as http with X-Forwarded-Proto: https. */
export function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers["x-forwarded-proto"] === "https";
}

export function setSessionCookie(req: IncomingMessage, res: ServerResponse, token: string | null, maxAgeSeconds?: number) {
  const previous = res.getHeader("set-cookie");
  const list = Array.isArray(previous) ? previous : previous ? [String(previous)] : [];
  res.setHeader("set-cookie", [...list, sessionCookie(token, { secure: isHttps(req), maxAgeSeconds })]);
}
