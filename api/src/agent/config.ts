// The assistant's settings, read from the environment: the Gemini key (either
// of the two names people use), the model name, and where the MCP tools live.
import { z } from "zod";

export const DEFAULT_MODEL = "gemini-2.5-flash-lite";

export const MISSING_KEY_MESSAGE =
  "The StoreLite assistant needs a Gemini API key. Set GOOGLE_GENERATIVE_AI_API_KEY " +
  "(or GEMINI_API_KEY) in the environment of the API server and restart it, e.g. " +
  "`GOOGLE_GENERATIVE_AI_API_KEY=... npm start`. Keys come from https://aistudio.google.com/apikey. " +
  "Everything else in StoreLite works without it.";

const schema = z.object({
  GOOGLE_GENERATIVE_AI_API_KEY: z.string().min(1).optional(),
  GEMINI_API_KEY: z.string().min(1).optional(),
  STORELITE_AGENT_MODEL: z.string().min(1).default(DEFAULT_MODEL),
  STORELITE_MCP_URL: z.url({ error: "must be the http(s) URL of StoreLite's MCP endpoint, e.g. http://127.0.0.1:4100/mcp" }).optional(),
});

export interface AgentConfig {
  apiKey?: string;
  modelName: string;
  /** Streamable-HTTP MCP endpoint; when unset the API starts the stdio MCP server as a child. */
  mcpUrl?: string;
}

export function loadAgentConfig(source: NodeJS.ProcessEnv = process.env): AgentConfig {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`StoreLite assistant settings are invalid:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    apiKey: env.GOOGLE_GENERATIVE_AI_API_KEY ?? env.GEMINI_API_KEY,
    modelName: env.STORELITE_AGENT_MODEL,
    mcpUrl: env.STORELITE_MCP_URL,
  };
}
