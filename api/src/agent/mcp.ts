// How the assistant reaches StoreLite's data: only through the MCP tools of
// mcp/ (one tool per GraphQL operation). In production that is the stdio MCP
// server started as a child process (or the HTTP one at STORELITE_MCP_URL);
// tests connect the same MCP server in-process over the SDK's in-memory transport.
import path from "node:path";
// The SDKs are imported when first used (see agent.ts: they are heavy, and most API processes never need them).
import type { CallToolResult, CallToolResultContent, FunctionTool, MCPServer, MCPToolMetaResolver, Tool } from "@openai/agents";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { projectRoot } from "../env.ts";

/** Where the assistant's MCP child finds the user's credential on each call (mcp/src/tools.ts reads it). */
export const CREDENTIAL_META = "storelite/credential";

/** MCP request metadata carrying the user's session or API token, or nothing. */
export function credentialMeta(credential: string | undefined): Record<string, unknown> | null {
  return credential ? { [CREDENTIAL_META]: credential } : null;
}

/** Every tool call carries the run's user credential (see agent.ts AssistantRunContext). */
export const toolMetaResolver: MCPToolMetaResolver = ({ runContext }) => credentialMeta((runContext.context as { credential?: string } | undefined)?.credential);

/** Tools that only read. Every other tool (add/update item, adjust stock, create bill, anything new) needs approval. */
export const READ_ONLY_TOOLS = new Set([
  "inventory_list_items",
  "inventory_get_item",
  "inventory_list_categories",
  "inventory_low_stock",
  "inventory_reorder_suggestions",
  "billing_get_bill",
  "billing_list_bills",
  "billing_refund_preview",
  "reports_sales_summary",
  "reports_top_items",
  "reports_revenue_by_category",
  "reports_sales_by_hour",
  "reports_sales_by_cashier",
  "reports_tax_by_rate",
  "reports_payments_by_method",
  "reports_stock_valuation",
  "reports_slow_movers",
]);

export function needsApproval(toolName: string) {
  return !READ_ONLY_TOOLS.has(toolName);
}

/**
 * Loads the MCP tools as function tools and marks every write tool as needing
 * approval. Local MCP servers have no approval setting in the Agents SDK, so
 * this is where "confirm before writing" is enforced: the run stops with an
 * interruption and the tool runs only after an explicit approve.
 */
export async function loadTools(servers: MCPServer[]): Promise<Tool[]> {
  const { getAllMcpTools } = await import("@openai/agents");
  const tools = await getAllMcpTools({ mcpServers: servers, convertSchemasToStrict: false });
  for (const tool of tools) {
    if (tool.type !== "function") continue;
    if (needsApproval(tool.name)) (tool as FunctionTool).needsApproval = async () => true;
    if (tool.name === "billing_create_bill" || tool.name === "billing_create_return") withIdempotencyKey(tool as FunctionTool);
  }
  return tools;
}

/**
 * A sale (or return) the user approved is one bill (or return), even if the
 * same tool call runs twice (a retried request, two processes resuming the
 * same approval): the call's id becomes the idempotency key unless the model gave one.
 */
function withIdempotencyKey(tool: FunctionTool) {
  const invoke = tool.invoke.bind(tool);
  tool.invoke = (runContext, input, details) => {
    const callId = details?.toolCall?.callId;
    if (callId) {
      try {
        const args = JSON.parse(input || "{}") as Record<string, unknown>;
        if (args && typeof args === "object" && !args.idempotency_key) input = JSON.stringify({ ...args, idempotency_key: `assistant-${callId}` });
      } catch {
        // Not JSON: the MCP server will say so.
      }
    }
    return invoke(runContext, input, details);
  };
}

/** Anything an MCP server object from @modelcontextprotocol/sdk can be connected to. */
export interface ConnectableMcpServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/**
 * An MCP server reached in-process through the SDK's linked in-memory
 * transports: the real MCP protocol (list tools, call tool), no child process.
 */
export class InProcessMcpServer implements MCPServer {
  cacheToolsList = true;
  toolMetaResolver = toolMetaResolver;
  readonly name: string;
  #client?: Client;
  #server?: ConnectableMcpServer;
  #tools?: Awaited<ReturnType<Client["listTools"]>>["tools"];

  constructor(
    private readonly makeServer: () => ConnectableMcpServer | Promise<ConnectableMcpServer>,
    name = "storelite",
  ) {
    this.name = name;
  }

  async connect() {
    const [{ Client }, { InMemoryTransport }] = await Promise.all([import("@modelcontextprotocol/sdk/client/index.js"), import("@modelcontextprotocol/sdk/inMemory.js")]);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    this.#server = await this.makeServer();
    await this.#server.connect(serverTransport);
    this.#client = new Client({ name: "storelite-assistant", version: "0.1.0" });
    await this.#client.connect(clientTransport);
  }

  async close() {
    await this.#client?.close();
    await this.#server?.close();
  }

  async listTools() {
    if (!this.#client) throw new Error("MCP server not connected");
    if (!this.#tools) this.#tools = (await this.#client.listTools()).tools;
    return this.#tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema as never }));
  }

  async callToolResult(toolName: string, args: Record<string, unknown> | null, meta?: Record<string, unknown> | null): Promise<CallToolResult> {
    if (!this.#client) throw new Error("MCP server not connected");
    return (await this.#client.callTool({ name: toolName, arguments: args ?? {}, ...(meta ? { _meta: meta } : {}) })) as CallToolResult;
  }

  async callTool(toolName: string, args: Record<string, unknown> | null, meta?: Record<string, unknown> | null): Promise<CallToolResultContent> {
    const result = await this.callToolResult(toolName, args, meta);
    return Object.assign([...(result.content ?? [])], {
      isError: result.isError,
      structuredContent: result.structuredContent,
    }) as CallToolResultContent;
  }

  async invalidateToolsCache() {
    this.#tools = undefined;
  }
}

/**
 * The production MCP connection: the HTTP MCP server at `url` when given,
 * otherwise the stdio MCP server as a child process on the same database —
 * compiled (dist/mcp-stdio.js, which `npm start` builds), or its TypeScript
 * source through tsx under `npm run dev` (STORELITE_DEV), which does not build.
 */
export async function defaultMcpServer(opts: { url?: string; databaseUrl?: string }): Promise<MCPServer> {
  const { MCPServerStdio, MCPServerStreamableHttp } = await import("@openai/agents");
  if (opts.url) {
    return new MCPServerStreamableHttp({ url: opts.url, name: "storelite", cacheToolsList: true, clientSessionTimeoutSeconds: 30, toolMetaResolver });
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  // The child holds no rights of its own: each call acts with the credential the assistant passes for its user.
  delete env.STORELITE_MCP_TOKEN;
  env.STORELITE_MCP_DELEGATED = "1";
  const args = process.env.STORELITE_DEV
    ? ["--import", "tsx", path.join(projectRoot, "mcp", "src", "stdio.ts")]
    : ["--enable-source-maps", path.join(projectRoot, "dist", "mcp-stdio.js")];
  return new MCPServerStdio({
    toolMetaResolver,
    name: "storelite",
    command: process.execPath,
    args,
    cwd: projectRoot,
    env,
    cacheToolsList: true,
    // Starting a process and its database pool can take longer than the SDK's 5 s default on a slow PC.
    clientSessionTimeoutSeconds: 60,
  });
}
