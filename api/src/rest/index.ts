// The REST compatibility layer: the original /items and /bills endpoints, the
// OpenAPI document describing them, and Swagger UI to try them.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../db/database.ts";
import { authOperations } from "./auth.ts";
import { HttpError } from "../http/errors.ts";
import { billOperations } from "./bills.ts";
import { handleDocs } from "./docs.ts";
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from "../domain/catalog-import.ts";
import { importOperations } from "./imports.ts";
import { itemOperations } from "./items.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { createRouter } from "./operation.ts";
import { settingsOperations } from "./settings.ts";
import { reportOperations } from "./reports.ts";
import { returnOperations } from "./returns.ts";
import { shiftOperations } from "./shifts.ts";

/** Every REST operation; export.csv comes before /items/{id}, which would otherwise claim its path. */
export const restOperations = (limits: ImportLimits = DEFAULT_IMPORT_LIMITS) => [...importOperations(limits), ...itemOperations, ...returnOperations, ...billOperations, ...authOperations, ...settingsOperations, ...reportOperations, ...shiftOperations];

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export function createRestApi(opts: { db: Database; maxBodyBytes: number; importLimits?: ImportLimits; version?: string }): { prefix: string; handler: Handler }[] {
  const operations = restOperations(opts.importLimits);
  const router = createRouter(operations, opts);
  const document = JSON.stringify(buildOpenApiDocument(operations, { version: opts.version ?? "0.1.0" }));
  const openapi: Handler = async (req, res, url) => {
    if (url.pathname !== "/openapi.json") throw new HttpError(404, "NOT_FOUND", `No such endpoint: ${req.method} ${url.pathname}`);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on /openapi.json; use GET`);
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(document) });
    res.end(document);
  };
  return [
    { prefix: "/items", handler: router.handle },
    { prefix: "/bills", handler: router.handle },
    { prefix: "/returns", handler: router.handle },
    { prefix: "/imports", handler: router.handle },
    { prefix: "/auth", handler: router.handle },
    { prefix: "/settings", handler: router.handle },
    { prefix: "/tax-rates", handler: router.handle },
    { prefix: "/category-tax-rates", handler: router.handle },
    { prefix: "/reports", handler: router.handle },
    { prefix: "/shifts", handler: router.handle },
    { prefix: "/cash-movements", handler: router.handle },
    { prefix: "/z-reports", handler: router.handle },
    { prefix: "/openapi.json", handler: openapi },
    { prefix: "/docs", handler: handleDocs },
  ];
}
