// StoreLite's MCP server over Streamable HTTP at http://127.0.0.1:4100/mcp
// (`npm run mcp:http`), for agents that reach their tools over the network.
// Stateless: every request gets a fresh server on the shared executor, so
// nothing is kept in memory between requests. Local by default: it listens on
// 127.0.0.1, refuses browser origins and Host names that are not local (DNS
// rebinding), and can require a bearer token.
import crypto from "node:crypto";
import fs from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { readJson } from "@storelite/api/http/body";
import { EdgePolicy, guardNodeRequest, LOOPBACK_HOSTNAMES } from "@storelite/api/http/edge";
import { HttpError } from "@storelite/api/http/errors";
import type { Executor } from "./executor.ts";
import type { Permission } from "@storelite/api/domain/access";
import { loadSettings, log as defaultLog, prepareServer } from "./setup.ts";
import { buildServer } from "./tools.ts";
import { listen } from "@storelite/api/http/listen";

export const MCP_PATH = "/mcp";
const MAX_BODY_BYTES = 1_000_000;

export interface McpHttpOptions {
  executor: Executor;
  /** Require `Authorization: Bearer <token>` on every request. */
  token?: string;
  /** Browser origins allowed besides local ones (http(s)://localhost|127.0.0.1|[::1] on any port). */
  allowedOrigins?: string[];
  /** Host names accepted in the Host header besides local ones, e.g. the name this is served under. */
  allowedHosts?: string[];
  mutations?: readonly string[];
  /** Only the tools these permissions allow are listed (the token's scopes). */
  permissions?: ReadonlySet<Permission>;
  log?: (message: string) => void;
}

export interface McpHttpServer {
  server: http.Server;
  /** Resolves to the endpoint URL, e.g. http://127.0.0.1:4100/mcp */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string) {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** A JSON-RPC error body, as MCP clients expect even for HTTP-level refusals. */
function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function createMcpHttpServer(options: McpHttpOptions): McpHttpServer {
  const log = options.log ?? defaultLog;
  // The same edge as the API and web servers (Host allow-list against DNS rebinding, Origin
  // check on writes), plus local browser tools (MCP inspectors) on any loopback port.
  const edge = new EdgePolicy({
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    allowLoopbackOrigins: true,
    hostsSetting: "STORELITE_MCP_ALLOWED_HOSTS",
    originsSetting: "STORELITE_MCP_ALLOWED_ORIGINS",
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still says so in Host and Origin.
    const refused = guardNodeRequest(edge, req, res);
    if (refused === "answered") return;
    if (refused) return refuse(res, refused.status, refused.message);
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== MCP_PATH) return refuse(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}`);
    if (options.token) {
      const auth = req.headers.authorization ?? "";
      const given = auth.startsWith("Bearer ") ? auth.slice(7).trim() : "";
      if (!given || !sameSecret(given, options.token)) {
        return refuse(res, 401, "Missing or wrong bearer token", { "www-authenticate": 'Bearer realm="storelite-mcp"' });
      }
    }
    if (req.method !== "POST") {
      // Stateless server: no standing SSE stream (GET) and no session to end (DELETE).
      return refuse(res, 405, "Method not allowed: send MCP messages with POST", { allow: "POST" });
    }

    let body: unknown;
    try {
      body = await readJson(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof HttpError) return refuse(res, err.status, err.message);
      throw err;
    }
    const server = buildServer({ executor: options.executor, mutations: options.mutations, permissions: options.permissions, log });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`internal error on ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) refuse(res, 500, "Internal server error");
      else res.destroy();
    });
  });

  return {
    server,
    listen: async (port, host) => {
      edge.setListenHost(host);
      return `${await listen(server, port, host)}${MCP_PATH}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const settings = loadSettings();
  // Beyond loopback anyone on the network could call the tools: a token is required there.
  if (!LOOPBACK_HOSTNAMES.has(settings.host) && settings.host !== "::1" && !settings.token) {
    throw new Error(`STORELITE_MCP_HOST=${settings.host} listens beyond this machine: set STORELITE_MCP_TOKEN (an API token from \`storelite token create\`); clients then send it as a bearer token.`);
  }
  const { executor, mutations, permissions } = await prepareServer(settings);
  const app = createMcpHttpServer({
    executor,
    token: settings.token,
    allowedOrigins: settings.allowedOrigins,
    allowedHosts: settings.allowedHosts,
    mutations,
    permissions,
  });
  const url = await app.listen(settings.port, settings.host).catch(async (err: NodeJS.ErrnoException) => {
    await executor.close();
    throw err.code === "EADDRINUSE" ? new Error(`Port ${settings.port} is already in use; set STORELITE_MCP_PORT to another port.`) : err;
  });
  defaultLog(`listening on ${url} (operations run on ${executor.description}${settings.token ? "; bearer token required" : ""})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    defaultLog(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    await executor.close().catch((e: unknown) => defaultLog(String(e)));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

const entry = process.argv[1] ? fs.realpathSync(process.argv[1]) : "";
if (entry === import.meta.filename) {
  main().catch((err: unknown) => {
    defaultLog(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
