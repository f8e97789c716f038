// The MCP server's settings and the executor they call for, shared by the
// stdio and HTTP entry points. Logs go to stderr: in stdio mode stdout is the protocol.
import { z } from "zod";
import { openDatabase } from "@storelite/api/db/open";
import { loadEdgeEnv, loadEnv } from "@storelite/api/env";
import { schema } from "@storelite/api/graphql/schema";
import { PERMISSIONS, limitedSystemActor, type Permission } from "@storelite/api/domain/access";
import { resolveApiToken } from "@storelite/api/domain/tokens";
import { httpExecutor, inProcessExecutor, type Executor } from "./executor.ts";
import { WRITE_TOOLS } from "./tools.ts";

/** Without a token the local server only reads (it still holds the database's credentials, so it is the machine reading). */
export const READ_ONLY_PERMISSIONS: readonly Permission[] = ["VIEW_CATALOG", "VIEW_ALL_BILLS", "VIEW_OWN_BILLS", "VIEW_REPORTS"];
export const NO_TOKEN_HINT =
  "no STORELITE_MCP_TOKEN: serving read-only tools. To sell or change stock, create a token (`npm run cli -- token create --name mcp --scopes SELL,VIEW_CATALOG,...`) and set STORELITE_MCP_TOKEN to it.";

export const log = (message: string) => process.stderr.write(`[storelite-mcp] ${message}\n`);

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const settings = z.object({
  STORELITE_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:4000/graphql" }).optional(),
  STORELITE_MCP_HOST: z.string().min(1).default("127.0.0.1"),
  STORELITE_MCP_PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be 0-65535")
    .max(65535, "must be 0-65535")
    .default(4100),
  STORELITE_MCP_TOKEN: z.string().regex(/^slt_[A-Za-z0-9_-]{20,}$/, "must be a StoreLite API token (slt_…; create one with `storelite token create`)").optional(),
  STORELITE_MCP_DELEGATED: z.enum(["1", "0", "true", "false"]).optional(),
  STORELITE_MCP_ALLOWED_ORIGINS: z.string().optional(),
  STORELITE_MCP_ALLOWED_HOSTS: z.string().optional(),
  STORELITE_MCP_MUTATIONS: z.string().optional(),
});

export interface McpSettings {
  apiUrl?: string;
  host: string;
  port: number;
  token?: string;
  /** Origins allowed besides http(s)://localhost / 127.0.0.1 / [::1] on any port. */
  allowedOrigins: string[];
  /** Host header names accepted besides local ones. */
  allowedHosts: string[];
  /** Write tools to expose. */
  mutations: string[];
  /**
   * The assistant's own child: every tool is listed and each call acts with the
   * credential its caller puts in the request's _meta (nothing without one).
   */
  delegated: boolean;
}

/** Reads the MCP settings; throws one Error naming every bad variable. */
export function loadSettings(source: NodeJS.ProcessEnv = process.env): McpSettings {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = settings.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  const env = parsed.data;
  let mutations = Object.keys(WRITE_TOOLS);
  const requested = present.STORELITE_MCP_MUTATIONS;
  if (requested !== undefined) {
    const wanted = requested.trim() === "none" ? [] : list(requested);
    const unknown = wanted.filter((m) => !(m in WRITE_TOOLS));
    if (unknown.length) problems.push(`  STORELITE_MCP_MUTATIONS: unknown write tool ${unknown.join(", ")} (known: ${Object.keys(WRITE_TOOLS).join(", ")}, or "none")`);
    mutations = wanted;
  }
  if (!env || problems.length) throw new Error(`StoreLite MCP settings are invalid:\n${problems.join("\n")}`);
  // The settings every StoreLite server shares (STORELITE_ALLOWED_HOSTS / _ORIGINS) count here too.
  const edge = loadEdgeEnv(source);
  return {
    ...(env.STORELITE_API_URL ? { apiUrl: env.STORELITE_API_URL } : {}),
    host: env.STORELITE_MCP_HOST,
    port: env.STORELITE_MCP_PORT,
    ...(env.STORELITE_MCP_TOKEN ? { token: env.STORELITE_MCP_TOKEN } : {}),
    allowedOrigins: [...edge.STORELITE_ALLOWED_ORIGINS, ...list(env.STORELITE_MCP_ALLOWED_ORIGINS)],
    allowedHosts: [...edge.STORELITE_ALLOWED_HOSTS, ...list(env.STORELITE_MCP_ALLOWED_HOSTS)],
    mutations,
    delegated: env.STORELITE_MCP_DELEGATED === "1" || env.STORELITE_MCP_DELEGATED === "true",
  };
}

export interface PreparedServer {
  executor: Executor;
  mutations: string[];
  /** The tools to list are those these permissions allow (undefined: all, for delegated mode). */
  permissions?: ReadonlySet<Permission>;
}

/**
 * Who the server acts as, and so which tools it lists: the API token's scopes
 * (checked against the database, or against the API when STORELITE_API_URL is
 * set); without a token, read-only; delegated, whatever each call brings.
 */
export async function prepareServer(settings: McpSettings, source: NodeJS.ProcessEnv = process.env): Promise<PreparedServer> {
  if (settings.delegated) return { executor: executorFromSettings(settings, source), mutations: settings.mutations };
  if (!settings.token) {
    log(NO_TOKEN_HINT);
    const executor = executorFromSettings(settings, source);
    return { executor, mutations: [], permissions: new Set(READ_ONLY_PERMISSIONS) };
  }
  const executor = executorFromSettings(settings, source);
  const permissions = await tokenPermissions(settings, executor, source);
  log(`acting with an API token: ${permissions.size ? [...permissions].join(", ") : "no permissions"}`);
  return { executor, mutations: settings.mutations, permissions };
}

async function tokenPermissions(settings: McpSettings, executor: Executor, source: NodeJS.ProcessEnv): Promise<Set<Permission>> {
  if (settings.apiUrl) {
    const res = await fetch(settings.apiUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${settings.token}` },
      body: JSON.stringify({ query: "{ me { permissions reason } }" }),
    });
    const body = (await res.json()) as { data?: { me?: { permissions: Permission[]; reason: string | null } } };
    const me = body.data?.me;
    if (!me?.permissions.length) throw new Error(`STORELITE_MCP_TOKEN is refused by the API at ${settings.apiUrl}: ${me?.reason ?? `HTTP ${res.status}`}`);
    return new Set(me.permissions);
  }
  const db = await (executor as Executor & { database?: Promise<import("@storelite/api/db/database").Database> }).database;
  if (!db) return new Set(PERMISSIONS);
  const resolved = await resolveApiToken(db, settings.token!);
  if ("reason" in resolved) throw new Error(`STORELITE_MCP_TOKEN: ${resolved.reason}`);
  return new Set(resolved.actor.kind === "token" ? resolved.actor.permissions : []);
}

/**
 * Over HTTP when STORELITE_API_URL is set; otherwise in this process on the
 * database `npm start` would use (embedded PostgreSQL unless DATABASE_URL is
 * set). The database opens in the background so the MCP handshake is instant;
 * tool calls wait for it.
 */
export function executorFromSettings(settings: McpSettings, source: NodeJS.ProcessEnv = process.env): Executor {
  if (settings.apiUrl) return httpExecutor({ url: settings.apiUrl, token: settings.token });
  const env = loadEnv(source);
  const opening = openDatabase(env, log);
  opening.catch((err: unknown) => log(`cannot open the database: ${err instanceof Error ? err.message : String(err)}`));
  const database = opening.then((o) => o.db);
  const executor = inProcessExecutor({
    schema,
    db: database,
    log,
    token: settings.token,
    // No token and not delegated: the local machine, reading only.
    ...(!settings.token && !settings.delegated ? { actor: limitedSystemActor("mcp (read-only)", READ_ONLY_PERMISSIONS) } : {}),
    onClose: async () => {
      const opened = await opening.catch(() => undefined);
      await opened?.close();
    },
  });
  return Object.assign(executor, { database });
}
