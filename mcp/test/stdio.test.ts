// The real stdio entry (`npm run -s mcp`, as an MCP client starts it) in a
// child process, driven by the SDK's StdioClientTransport: first on a test
// database through DATABASE_URL, then with no settings at all, when it starts
// its own embedded PostgreSQL and must stop it again when the client leaves.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, describe, expect, it } from "vitest";
import { alive, freePort } from "@storelite/api/db/embedded";
import { ownerApiToken, useTestDatabase } from "@storelite/api/testing/fixtures";
import { QUERY_TOOLS, call, checkToolList, exerciseEveryTool, ok } from "./scenarios.ts";

const root = path.resolve(import.meta.dirname, "../..");
const t = useTestDatabase();

/** Starts `npm run -s mcp` with exactly these settings; collects its stderr and any non-protocol output. */
async function startStdio(env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("STORELITE_") && k !== "DATABASE_URL"),
  ) as Record<string, string>;
  const transport = new StdioClientTransport({ command: "npm", args: ["run", "-s", "mcp"], cwd: root, env: { ...inherited, ...env }, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const protocolErrors: Error[] = [];
  const client = new Client({ name: "storelite-stdio-test", version: "1.0.0" });
  await client.connect(transport);
  // Anything on stdout that is not a JSON-RPC message shows up here.
  transport.onerror = (err) => protocolErrors.push(err);
  return { client, transport, protocolErrors, stderr: () => stderr };
}

const started: Client[] = [];
afterAll(async () => {
  for (const c of started) await c.close().catch(() => {});
});

describe("MCP server over stdio (child process)", () => {
  it("serves every tool on the database given by DATABASE_URL, with nothing but protocol on stdout", async () => {
    const { client, protocolErrors, stderr } = await startStdio({ DATABASE_URL: t.url, STORELITE_MCP_TOKEN: await ownerApiToken(t.db) });
    started.push(client);
    await checkToolList(client);
    await exerciseEveryTool(client, t.db.pool);
    expect(protocolErrors).toEqual([]);
    expect(stderr()).toContain("ready on stdio");
    await client.close();
  });

  it("with no settings, starts its own embedded PostgreSQL with the demo catalogue, serves read-only tools, and stops it when the client leaves", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "storelite-mcp-")), "postgres");
    fs.chmodSync(path.dirname(dataDir), 0o755);
    const port = await freePort();
    const { client, protocolErrors, stderr } = await startStdio({ STORELITE_DATA_DIR: dataDir, STORELITE_PG_PORT: String(port) });
    started.push(client);
    try {
      // Without STORELITE_MCP_TOKEN only the read tools are offered (not the sale's preview, which needs SELL), and it says how to add a token.
      const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
      // Pricing a sale or a refund is for someone who may sell or refund: not the read-only server.
      expect(names).toEqual(QUERY_TOOLS.filter((t) => t !== "billing_preview_bill" && t !== "billing_refund_preview").sort());
      const sugar = ok(await call(client, "inventory_list_items", { search: "sugar" })).items.nodes;
      expect(sugar.map((i: { name: string }) => i.name)).toContain("Sugar");
      const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      expect(alive(pid)).toBe(true);

      const sugarId: number = sugar.find((i: { name: string }) => i.name === "Sugar").id;
      expect(ok(await call(client, "inventory_get_item", { item_id: sugarId })).item.name).toBe("Sugar");
      expect(stderr()).toContain("STORELITE_MCP_TOKEN");

      await client.close();
      // The child stopped its PostgreSQL on the way out: no server left running.
      await waitUntil(() => !alive(pid));
      expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
      expect(protocolErrors).toEqual([]);
      expect(stderr()).toMatch(/Embedded PostgreSQL running/);
    } finally {
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });
});

/** Polls a condition the child process will make true; the test's own timeout bounds it. */
async function waitUntil(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}
