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
import { systemActor } from "../domain/access.ts";
import { HttpError } from "./errors.ts";
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

export async function createApp(opts: {
  db: Database;
  env: Pick<Env, "introspection" | "STORELITE_MAX_BODY_BYTES" | "STORELITE_WEB_URL">;
  log?: (m: string) => void;
  assistant?: AssistantOptions;
}): Promise<App> {
  const log = opts.log ?? ((m: string) => console.error(m));
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
    log,
    landingPage: sandbox?.page,
  });

  const assistant = createAssistantRoutes({ db: opts.db, maxBodyBytes: opts.env.STORELITE_MAX_BODY_BYTES, log, ...opts.assistant });
  const routes: { prefix: string; handler: Handler }[] = [
    { prefix: "/graphql", handler: graphql.handle },
    ...(sandbox ? [{ prefix: SANDBOX_ASSETS, handler: sandbox.handle }] : []),
    ...assistant.routes,
    ...createRestApi({ ctx: { db: opts.db, actor: systemActor("rest") }, maxBodyBytes: opts.env.STORELITE_MAX_BODY_BYTES }),
    { prefix: "/health", handler: health.handle },
  ];

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
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
    listen: (port, host) => listen(server, port, host),
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
