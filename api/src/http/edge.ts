// The network edge shared by the API server, the web server (web/src/proxy.ts)
// and the MCP HTTP server: which Host names a server answers to (DNS-rebinding
// protection), which browser origins may call it (CORS) and may write to it
// (CSRF), and the security headers every response carries. Pure checks over
// header values, plus a node:http adapter, so every server applies one rule.
import os from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Names every server answers to: this machine, whatever the port. */
export const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/** Headers on every response: no MIME sniffing, no framing, referrers only to the same origin in full. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/**
 * CSP for the API's own pages (GraphiQL on GET /graphql, Swagger UI on /docs): every
 * script is a file from this server; styles are also set inline by both UIs, and
 * GraphiQL's editor runs web workers. Harmless on JSON answers, so every response gets it.
 */
export const API_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Methods that can change something: these need a same-origin (or allowed) Origin from a browser. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What a browser may send cross-origin from an allowed origin, and read back. */
const CORS_ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
const CORS_ALLOW_HEADERS = "content-type, authorization, idempotency-key, apollo-require-preflight, x-apollo-operation-name, x-requested-with";
const CORS_EXPOSE_HEADERS = "location, link, idempotent-replayed";

/**
 * "shop.local", "192.168.1.20", "[fe80::1]" or "fe80::1" → the hostname as a URL
 * spells it (lower case, IPv6 in brackets); undefined when it is not a bare host name
 * or address (a scheme, port, path or wildcard).
 */
export function normalizeHostName(entry: string): string | undefined {
  const raw = entry.trim().toLowerCase();
  if (!raw || raw.includes("*")) return undefined;
  const bracketed = raw.includes(":") && !raw.startsWith("[") ? `[${raw}]` : raw;
  try {
    const url = new URL(`http://${bracketed}`);
    if (url.port || url.pathname !== "/" || url.username || url.search || url.hash) return undefined;
    return url.hostname;
  } catch {
    return undefined;
  }
}

/** "https://Shop.local:3000/" → "https://shop.local:3000"; undefined unless it is an http(s) origin and nothing more. */
export function normalizeOrigin(entry: string): string | undefined {
  const raw = entry.trim();
  if (!raw || raw.includes("*")) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.pathname !== "/" || url.username || url.search || url.hash) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The Host header's name and name:port, normalised; undefined when it is not a valid authority. */
function parseHostHeader(host: string | undefined): { hostname: string; host: string } | undefined {
  if (!host) return undefined;
  try {
    const url = new URL(`http://${host}`);
    if (url.pathname !== "/" || url.username || url.password || url.search || url.hash) return undefined;
    return { hostname: url.hostname, host: url.host };
  } catch {
    return undefined;
  }
}

/** This machine's own addresses (and host name), the names a LAN device reaches it by. */
function machineNames(): Set<string> {
  const names = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      // Link-local IPv6 needs a zone id, which no browser puts in a Host header.
      if (a.family === "IPv6" && a.address.toLowerCase().startsWith("fe80:")) continue;
      const name = normalizeHostName(a.address);
      if (name) names.add(name);
    }
  }
  const hostname = normalizeHostName(os.hostname());
  if (hostname) {
    names.add(hostname);
    if (!hostname.includes(".")) names.add(`${hostname}.local`); // mDNS, as tablets find a PC by name
  }
  return names;
}

/** This machine's addresses on the network (not loopback), as URL host names: what a tablet types. */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || (a.family === "IPv6" && a.address.toLowerCase().startsWith("fe80:"))) continue;
      const name = normalizeHostName(a.address);
      if (name) out.push(name);
    }
  }
  return out;
}

export interface EdgeOptions {
  /** Names and addresses (no port) to answer to besides the loopback ones: STORELITE_ALLOWED_HOSTS. */
  allowedHosts?: readonly string[];
  /** Browser origins besides the server's own that may call it and write: STORELITE_ALLOWED_ORIGINS. */
  allowedOrigins?: readonly string[];
  /**
   * The address the server listens on. A specific address counts as one of its names; a
   * wildcard (0.0.0.0, ::) adds this machine's own addresses and host name.
   */
  listenHost?: string;
  /** Treat every http(s)://localhost|127.0.0.1|[::1] origin (any port) as allowed (local tools such as MCP inspectors). */
  allowLoopbackOrigins?: boolean;
  /** How to tell the user to allow an origin or a host (the setting names of this server). */
  hostsSetting?: string;
  originsSetting?: string;
}

export interface EdgeRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite?: string;
  /** Access-Control-Request-Method: present on a CORS preflight. */
  preflightMethod?: string;
}

export interface EdgeRefusal {
  status: 403;
  code: "HOST_NOT_ALLOWED" | "ORIGIN_NOT_ALLOWED";
  message: string;
}

export type EdgeVerdict =
  | { ok: true; /** Set when a cross-origin browser caller is allowed: the headers to answer it with. */ cors?: Record<string, string>; /** A preflight to answer now with 204. */ preflight?: boolean }
  | ({ ok: false } & EdgeRefusal);

export class EdgePolicy {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private wildcard = false;
  private machine: Set<string> = new Set();
  private machineReadAt = 0;

  constructor(private readonly options: EdgeOptions = {}) {
    this.hosts = new Set(LOOPBACK_HOSTNAMES);
    for (const h of options.allowedHosts ?? []) {
      const name = normalizeHostName(h);
      if (!name) throw new Error(`Not a host name or address: ${JSON.stringify(h)} (give names like shop.local or 192.168.1.20, without scheme or port)`);
      this.hosts.add(name);
    }
    this.origins = new Set();
    for (const o of options.allowedOrigins ?? []) {
      const origin = normalizeOrigin(o);
      if (!origin) throw new Error(`Not an origin: ${JSON.stringify(o)} (give origins like http://shop.local:3000, no path and no wildcard)`);
      this.origins.add(origin);
    }
    if (options.listenHost) this.setListenHost(options.listenHost);
  }

  /** Called once the server knows where it listens (see listen()). */
  setListenHost(listenHost: string) {
    const bare = listenHost.trim().toLowerCase();
    if (WILDCARD_HOSTS.has(bare)) {
      this.wildcard = true;
      return;
    }
    const name = normalizeHostName(bare);
    if (name) this.hosts.add(name);
  }

  hostAllowed(hostname: string): boolean {
    if (this.hosts.has(hostname)) return true;
    if (!this.wildcard) return false;
    // Addresses change (DHCP, a new Wi-Fi): read them again on a miss, at most once a second.
    if (!this.machine.has(hostname) && Date.now() - this.machineReadAt > 1000) {
      this.machine = machineNames();
      this.machineReadAt = Date.now();
    }
    return this.machine.has(hostname);
  }

  /** Whether a browser at `origin` may call a server reached as `host` (same origin, or allowed). */
  private originAllowed(origin: string, host: string): { allowed: boolean; sameOrigin: boolean } {
    const normal = normalizeOrigin(origin);
    if (!normal) return { allowed: false, sameOrigin: false }; // "null" (sandboxed frames, file://) and junk
    const url = new URL(normal);
    if (url.host === host) return { allowed: true, sameOrigin: true };
    if (this.origins.has(normal)) return { allowed: true, sameOrigin: false };
    if (this.options.allowLoopbackOrigins && LOOPBACK_HOSTNAMES.has(url.hostname)) return { allowed: true, sameOrigin: false };
    return { allowed: false, sameOrigin: false };
  }

  /** The edge's verdict on one request, before any route runs. */
  check(req: EdgeRequest): EdgeVerdict {
    const parsed = parseHostHeader(req.host);
    if (!parsed || !this.hostAllowed(parsed.hostname)) {
      const hostsSetting = this.options.hostsSetting ?? "STORELITE_ALLOWED_HOSTS";
      return {
        ok: false,
        status: 403,
        code: "HOST_NOT_ALLOWED",
        message:
          `Host ${req.host ? JSON.stringify(req.host) : "(none)"} is not allowed: this server answers only to localhost, 127.0.0.1, [::1]` +
          ` and the names in ${hostsSetting} (protection against DNS rebinding). To reach it by this name, add it to ${hostsSetting}.`,
      };
    }
    const method = req.method.toUpperCase();
    const preflight = method === "OPTIONS" && req.preflightMethod !== undefined;
    if (req.origin !== undefined) {
      const { allowed, sameOrigin } = this.originAllowed(req.origin, parsed.host);
      if (!allowed && (preflight || !SAFE_METHODS.has(method))) {
        const originsSetting = this.options.originsSetting ?? "STORELITE_ALLOWED_ORIGINS";
        return {
          ok: false,
          status: 403,
          code: "ORIGIN_NOT_ALLOWED",
          message: `Origin ${req.origin} is not allowed to call this server from a browser (set ${originsSetting} to allow it). Nothing was changed.`,
        };
      }
      if (allowed && !sameOrigin) {
        const cors: Record<string, string> = { "access-control-allow-origin": normalizeOrigin(req.origin)!, "access-control-expose-headers": CORS_EXPOSE_HEADERS };
        if (preflight) {
          cors["access-control-allow-methods"] = CORS_ALLOW_METHODS;
          cors["access-control-allow-headers"] = CORS_ALLOW_HEADERS;
          cors["access-control-max-age"] = "600";
        }
        return { ok: true, cors, preflight };
      }
      return { ok: true };
    }
    // No Origin: not a browser's CORS request (curl, scripts, the web server's forwarder),
    // unless the browser says it came from another site (Fetch Metadata).
    if (req.secFetchSite === "cross-site" && !SAFE_METHODS.has(method)) {
      return { ok: false, status: 403, code: "ORIGIN_NOT_ALLOWED", message: "Cross-site requests may not change anything here. Nothing was changed." };
    }
    return { ok: true };
  }
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The edge for a node:http server, before routing: sets the security and Vary headers,
 * answers CORS preflights itself, and returns a refusal for the caller to send in its
 * own error format ("answered" when nothing is left to do, null to go on to the routes).
 */
export function guardNodeRequest(policy: EdgePolicy, req: IncomingMessage, res: ServerResponse, extraHeaders: Record<string, string> = {}): EdgeRefusal | "answered" | null {
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...extraHeaders })) res.setHeader(k, v);
  // The answer depends on Origin (CORS headers or a refusal): caches must keep them apart.
  res.setHeader("vary", "Origin");
  const verdict = policy.check({
    method: req.method ?? "GET",
    host: header(req, "host"),
    origin: header(req, "origin"),
    secFetchSite: header(req, "sec-fetch-site"),
    preflightMethod: header(req, "access-control-request-method"),
  });
  if (!verdict.ok) return { status: verdict.status, code: verdict.code, message: verdict.message };
  for (const [k, v] of Object.entries(verdict.cors ?? {})) res.setHeader(k, v);
  if (verdict.preflight) {
    res.writeHead(204).end();
    return "answered";
  }
  return null;
}
