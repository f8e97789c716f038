// The MCP server's settings and the executor they call for, shared by the
// stdio and HTTP entry points. Logs go to stderr: in stdio mode stdout is the protocol.
import { z } from "zod";
import { openDatabase } from "@storelite/api/db/open";
import { loadEdgeEnv, loadEnv } from "@storelite/api/env";
import { schema } from "@storelite/api/graphql/schema";
import { httpExecutor, inProcessExecutor, type Executor } from "./executor.ts";
import { WRITE_TOOLS } from "./tools.ts";

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
  STORELITE_MCP_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
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
  };
}

/**
 * Over HTTP when STORELITE_API_URL is set; otherwise in this process on the
 * database `npm start` would use (embedded PostgreSQL unless DATABASE_URL is
 * set). The database opens in the background so the MCP handshake is instant;
 * tool calls wait for it.
 */
export function executorFromSettings(settings: McpSettings, source: NodeJS.ProcessEnv = process.env): Executor {
  if (settings.apiUrl) return httpExecutor({ url: settings.apiUrl });
  const env = loadEnv(source);
  const opening = openDatabase(env, log);
  opening.catch((err: unknown) => log(`cannot open the database: ${err instanceof Error ? err.message : String(err)}`));
  return inProcessExecutor({
    schema,
    db: opening.then((o) => o.db),
    log,
    onClose: async () => {
      const opened = await opening.catch(() => undefined);
      await opened?.close();
    },
  });
}
