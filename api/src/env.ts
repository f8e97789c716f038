// StoreLite's settings, read once from the environment and validated, so a bad
// value stops start-up with a message that names it instead of failing later.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { normalizeHostName, normalizeOrigin } from "./http/edge.ts";

/**
 * The checkout's root: the nearest folder above this module with turbo.json. Found
 * by looking rather than by a fixed "../..", because this file runs from its source
 * (api/src), from the compiled servers (dist/) and inside the web server's bundle;
 * import.meta.url, because that bundle has no import.meta.dirname.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "turbo.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, "../..");
  }
}
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

const port = (fallback: number) =>
  z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be 0-65535")
    .max(65535, "must be 0-65535")
    .default(fallback);

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** True when the runtime knows the IANA time zone (e.g. Asia/Karachi). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The machine's own time zone, the shop's when none is set. */
export const machineTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A comma-separated list whose every entry must normalise; gives the normalised entries. */
const commaList = (normalize: (s: string) => string | undefined, what: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const out: string[] = [];
      for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
        const normal = normalize(entry);
        if (normal) out.push(normal);
        else ctx.addIssue({ code: "custom", message: `${JSON.stringify(entry)} is not ${what}` });
      }
      return out;
    })
    .default([]);

/** The network edge's settings (api/src/http/edge.ts), shared by the API, web and MCP servers. */
export const edgeSchema = z.object({
  STORELITE_ALLOWED_HOSTS: commaList(normalizeHostName, "a host name or address (like shop.local or 192.168.1.20; no scheme, port or wildcard)"),
  STORELITE_ALLOWED_ORIGINS: commaList(normalizeOrigin, "an origin (like http://192.168.1.20:3000; no path or wildcard)"),
  STORELITE_CORS_ORIGIN: z.undefined({ error: "was replaced by STORELITE_ALLOWED_ORIGINS (a comma-separated list of origins; no wildcard)" }).optional(),
});

const keep = (fallback: number) =>
  z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0-1000").max(1000, "must be 0-1000").default(fallback);

const schema = edgeSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port(4000),
  STORELITE_DATA_DIR: z.string().min(1).optional(),
  STORELITE_PG_PORT: port(54329),
  STORELITE_DB_POOL_SIZE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be 1-200")
    .max(200, "must be 1-200")
    .default(10),
  STORELITE_MAX_BODY_BYTES: z.coerce
    .number({ error: "must be a number of bytes" })
    .int("must be a whole number")
    .min(1024, "must be at least 1024")
    .max(50_000_000, "must be at most 50000000")
    .default(1_000_000),
  // Catalogue imports (POST /imports, the console) stream the file, so their cap is separate from the JSON body limit.
  STORELITE_IMPORT_MAX_BYTES: z.coerce
    .number({ error: "must be a number of bytes" })
    .int("must be a whole number")
    .min(1024, "must be at least 1024")
    .max(1_000_000_000, "must be at most 1000000000")
    .default(32_000_000),
  STORELITE_IMPORT_MAX_ROWS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(10_000_000, "must be at most 10000000").default(200_000),
  STORELITE_GRAPHQL_INTROSPECTION: flag.optional(),
  /** Queries run through graphql-jit (compiled once per document); "false" uses graphql-js's execute. */
  STORELITE_GRAPHQL_JIT: flag.default(true),
  STORELITE_SEED_DEMO: flag.default(true),
  STORELITE_BACKUP_DIR: z.string().min(1).optional(),
  STORELITE_BACKUP_TIME: z
    .string()
    .regex(/^(off|([01]?\d|2[0-3]):[0-5]\d)$/, 'must be a time of day as HH:MM (24-hour, local time) or "off"')
    .default("02:30"),
  STORELITE_BACKUP_KEEP_DAILY: keep(7),
  STORELITE_BACKUP_KEEP_WEEKLY: keep(4),
  STORELITE_BACKUP_BEFORE_MIGRATE: flag.default(true),
  // Scripted installs, tests, CI: creates this owner when the shop has no staff yet.
  STORELITE_OWNER_USERNAME: z.string().min(1).optional(),
  STORELITE_OWNER_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  STORELITE_OWNER_NAME: z.string().min(1).optional(),
  STORELITE_TIME_ZONE: z
    .string()
    .refine(isTimeZone, "must be an IANA time zone such as Asia/Karachi or Europe/London")
    .optional(),
  // false: reports read the raw bills and lines instead of the report rollups (read at each report, domain/reports/range.ts).
  STORELITE_REPORT_ROLLUPS: flag.default(true),
  STORELITE_ALERTS: flag.default(true),
  STORELITE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587")
    .optional(),
  STORELITE_SMTP_FROM: z.string().min(3).default("StoreLite <storelite@localhost>"),
  // Embedded PostgreSQL settings over the small-shop defaults (db/embedded.ts), e.g.
  // "shared_buffers=256MB,max_connections=100". Passed on its command line, so only plain values.
  STORELITE_PG_SETTINGS: z
    .string()
    .transform((raw, ctx) => {
      const settings: Record<string, string> = {};
      for (const pair of raw.split(/[\s,]+/).filter(Boolean)) {
        const m = /^([a-z_][a-z0-9_.]*)=([\w.:+-]+)$/i.exec(pair);
        if (!m) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not name=value (e.g. shared_buffers=256MB)` });
          return z.NEVER;
        }
        settings[m[1]!.toLowerCase()] = m[2]!;
      }
      return settings;
    })
    .optional(),
  // Set by the supervisor behind `npm start`: where the web app is, for /health.
  STORELITE_WEB_URL: z.url({ error: "must be a URL" }).optional(),
});

export type Env = z.infer<typeof schema> & { introspection: boolean; backupDir: string };
export type EdgeEnv = z.infer<typeof edgeSchema>;

/** Where backups go unless STORELITE_BACKUP_DIR says otherwise (relative paths count from the folder StoreLite starts in). */
export const defaultBackupDir = path.join(projectRoot, ".data", "backups");

function parse<T extends z.ZodType>(s: T, source: NodeJS.ProcessEnv): z.infer<T> {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = s.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`StoreLite settings are invalid:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Only the edge settings (for the web and MCP servers, which do not need the rest). */
export function loadEdgeEnv(source: NodeJS.ProcessEnv = process.env): EdgeEnv {
  return parse(edgeSchema, source);
}

/** Parses settings; throws one Error that lists every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const env = parse(schema, source);
  return {
    ...env,
    introspection: env.STORELITE_GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== "production",
    backupDir: env.STORELITE_BACKUP_DIR ? path.resolve(source.INIT_CWD ?? process.cwd(), env.STORELITE_BACKUP_DIR) : defaultBackupDir,
  };
}
