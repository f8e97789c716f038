// StoreLite's MCP server on stdin/stdout, for Claude Desktop, Claude Code and
// any MCP client that starts its servers as commands: `npm run mcp`.
// stdout carries the protocol and nothing else; every log line goes to stderr.
import "./stderr-console.ts"; // first, before anything can print
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { loadSettings, log, prepareServer } from "./setup.ts";
import { buildServer } from "./tools.ts";

async function main() {
  const settings = loadSettings();
  const { executor, mutations, permissions } = await prepareServer(settings);
  const server = buildServer({ executor, mutations, permissions, log });

  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    log(`${why}: stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.close().catch(() => {});
    await executor.close().catch((e: unknown) => log(String(e)));
    process.exit(0);
  };
  // The client closing our stdin is the usual way a stdio server is told to stop.
  process.stdin.on("end", () => void shutdown("stdin closed"));
  process.stdin.on("close", () => void shutdown("stdin closed"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await server.connect(new StdioServerTransport());
  log(`ready on stdio; operations run on ${executor.description}`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
