// The assistant's front doors for the API server: /agent/* and /chatkit,
// sharing one Assistant (model + MCP tools + PostgreSQL memory).
import type { MCPServer, Model } from "@openai/agents";
import type { Database } from "../db/database.ts";
import type { Handler } from "../http/server.ts";
import { ChatKitServer, chatkitHandler } from "../chatkit/server.ts";
import { ChatKitStore } from "../chatkit/store.ts";
import { Assistant } from "./agent.ts";
import { loadAgentConfig, type AgentConfig } from "./config.ts";
import { agentHandler } from "./http.ts";
import { defaultMcpServer } from "./mcp.ts";

export interface AssistantOptions {
  /** Defaults to the environment (loadAgentConfig). */
  config?: Partial<AgentConfig>;
  /** A ready model, e.g. the SDK's ScriptedModel in tests. */
  model?: Model;
  /** Where the MCP tools come from; defaults to the stdio MCP server (or STORELITE_MCP_URL). */
  mcpServers?: () => MCPServer[];
}

export function createAssistantRoutes(opts: { db: Database; maxBodyBytes: number; log: (m: string) => void } & AssistantOptions) {
  const config = { ...loadAgentConfig(), ...opts.config };
  const databaseUrl = (opts.db.pool as unknown as { options?: { connectionString?: string } }).options?.connectionString;
  const assistant = new Assistant({
    db: opts.db,
    config,
    model: opts.model,
    mcpServers: opts.mcpServers ?? (async () => [await defaultMcpServer({ url: config.mcpUrl, databaseUrl })]),
    log: opts.log,
  });
  // In production (a real key, no injected model) the MCP child process starts with the server.
  if (!opts.model && config.apiKey) assistant.warmUp();
  const chatkit = new ChatKitServer({ assistant, store: new ChatKitStore(opts.db), log: opts.log });
  const routes: { prefix: string; handler: Handler }[] = [
    { prefix: "/agent", handler: agentHandler({ db: opts.db, assistant, maxBodyBytes: opts.maxBodyBytes, modelName: config.modelName }) },
    { prefix: "/chatkit", handler: chatkitHandler({ db: opts.db, server: chatkit, maxBodyBytes: opts.maxBodyBytes, log: opts.log }) },
  ];
  return { routes, assistant, chatkit, close: () => assistant.close() };
}
