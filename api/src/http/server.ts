// Composes StoreLite's front doors on one node:http server: GraphQL at
// /graphql (GraphiQL for browsers), REST at /items and /bills (OpenAPI at
// /openapi.json, Swagger UI at /docs), and the agent endpoints.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Database } from "../db/database.ts";
import type { Env } from "../env.ts";
import { createAssistantRoutes, type AssistantOptions } from "../agent/index.ts";
import { createGraphQLHandler } from "../graphql/server.ts";
import { createRestApi } from "../rest/index.ts";
import { createSandbox, SANDBOX_ASSETS } from "../sandbox/index.ts";
import { API_CSP, EdgePolicy, guardNodeRequest } from "./edge.ts";
import { backupDownloadRoute } from "./backup.ts";
import { importLimits } from "../domain/catalog-import.ts";
import { HttpError } from "./errors.ts";
import { setupHandler } from "./setup.ts";
import { authenticateRequest } from "./auth.ts";
import { createHealth, webAppCheck, type Health } from "./health.ts";
import { listen } from "./listen.ts";

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export interface App {
  server: http.Server;
  /** GET /health's checks: register more with app.health.register(name, check). */
  health: Health;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export type AppEnv = Pick<Env, "introspection" | "STORELITE_MAX_BODY_BYTES"> &
  Partial<Pick<Env, "STORELITE_ALLOWED_HOSTS" | "STORELITE_ALLOWED_ORIGINS" | "STORELITE_IMPORT_MAX_BYTES" | "STORELITE_IMPORT_MAX_ROWS" | "STORELITE_GRAPHQL_JIT" | "STORELITE_WEB_URL">>;

export async function createApp(opts: {
  db: Database;
  env: AppEnv;
  log?: (m: string) => void;
  assistant?: AssistantOptions;
  /** Where the web app is, for the first-run setup page's "continue" link. */
  webUrl?: string;
}): Promise<App> {
  const log = opts.log ?? ((m: string) => console.error(m));
  // Host allow-list, CORS and the Origin check for writes, before any route runs (see edge.ts).
  const edge = new EdgePolicy({ allowedHosts: opts.env.STORELITE_ALLOWED_HOSTS, allowedOrigins: opts.env.STORELITE_ALLOWED_ORIGINS });
  const health = createHealth();
  health.register("database", async () => {
    await opts.db.pool.query("SELECT 1");
  });
  if (opts.env.STORELITE_WEB_URL) health.register("web", webAppCheck(opts.env.STORELITE_WEB_URL));
  // The sandbox's schema docs need introspection, so the two go together.
  const sandbox = opts.env.introspection ? createSandbox({ endpoint: "/graphql", log }) : undefined;
  const graphql = await createGraphQLHandler({
    db: opts.db,
    introspection: opts.env.introspection,
    maxBodyBytes: opts.env.STORELITE_MAX_BODY_BYTES,
    jit: opts.env.STORELITE_GRAPHQL_JIT ?? true,
    log,
    landingPage: sandbox?.page,
  });

  const assistant = createAssistantRoutes({ db: opts.db, maxBodyBytes: opts.env.STORELITE_MAX_BODY_BYTES, log, ...opts.assistant });
  const routes: { prefix: string; handler: Handler }[] = [
    { prefix: "/graphql", handler: graphql.handle },
    ...(sandbox ? [{ prefix: SANDBOX_ASSETS, handler: sandbox.handle }] : []),
    ...assistant.routes,
    ...createRestApi({ db: opts.db, maxBodyBytes: opts.env.STORELITE_MAX_BODY_BYTES, importLimits: importLimits(opts.env) }),
    backupDownloadRoute(async (req) => ({ db: opts.db, actor: (await authenticateRequest(opts.db, req)).actor })),
    { prefix: "/setup", handler: setupHandler({ db: opts.db, webUrl: opts.webUrl }) },
    { prefix: "/health", handler: health.handle },
  ];

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      const refused = guardNodeRequest(edge, req, res, { "content-security-policy": API_CSP });
      if (refused === "answered") return;
      if (refused) return sendJson(res, refused.status, { error: { code: refused.code, message: refused.message } });
      const route = routes.find((r) => url.pathname === r.prefix || url.pathname.startsWith(`${r.prefix}/`));
      if (!route) throw new HttpError(404, "NOT_FOUND", `No such endpoint: ${req.method} ${url.pathname}`);
      await route.handler(req, res, url);
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return sendJson(res, err.status, { error: { code: err.code, message: err.message } });
      log(`internal error on ${req.method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
      sendJson(res, 500, { error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } });
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  return {
    server,
    health,
    listen: (port, host) => {
      edge.setListenHost(host);
      return listen(server, port, host);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in flight get a few seconds to finish; a client that never
        // reads its response must not hold the shutdown for the keep-alive timeout.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
      await graphql.stop();
      await assistant.close();
    },
  };
}
