// The MCP server over Streamable HTTP, driven by the SDK's
// StreamableHTTPClientTransport: the real `npm run mcp:http` entry (in-process
// executor on a test database, with a bearer token), and the server running its
// operations over HTTP against a real StoreLite API server.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseChecksum } from "@storelite/api/testing/checksum";
import { ownerApiToken, useTestDatabase, useTestServer } from "@storelite/api/testing/fixtures";
import { httpExecutor } from "../src/executor.ts";
import { createMcpHttpServer, type McpHttpServer } from "../src/http.ts";
import { call, checkToolList, exerciseEveryTool, ok, refused } from "./scenarios.ts";

const root = path.resolve(import.meta.dirname, "../..");
let TOKEN = "";

async function connect(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: "storelite-http-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

/** A raw request, so that Host and Origin can be set to anything. */
function rawPost(url: string, headers: Record<string, string>, body = initialize): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the http entry (npm run mcp:http) on a test database, with a bearer token", () => {
  const t = useTestDatabase();
  let child: ChildProcess | undefined;
  let url = "";
  const clients: Client[] = [];

  beforeAll(async () => {
    TOKEN = await ownerApiToken(t.db);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("STORELITE_") && k !== "DATABASE_URL"));
    child = spawn("npm", ["run", "-s", "mcp:http"], {
      cwd: root,
      env: { ...env, DATABASE_URL: t.url, STORELITE_MCP_PORT: "0", STORELITE_MCP_TOKEN: TOKEN, STORELITE_ALLOWED_HOSTS: "shop.local" },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true, // its own process group, so the whole npm → tsx → node chain can be stopped
    });
    url = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      child!.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
        if (found) resolve(found[1]!);
      });
      child!.on("exit", (code) => reject(new Error(`mcp:http exited with ${code}:\n${stderr}`)));
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
  });

  it("listens on 127.0.0.1 at /mcp", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it("refuses requests without the right bearer token", async () => {
    const none = await rawPost(url, {});
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(JSON.parse(none.body).error.message).toMatch(/bearer token/);
    expect((await rawPost(url, { authorization: "Bearer wrong-token-0123456789" })).status).toBe(401);
    await expect(connect(url)).rejects.toThrow();
    expect((await rawPost(url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("refuses foreign origins and host names (DNS rebinding), accepts local ones", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const foreign = await rawPost(url, { ...auth, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.message).toMatch(/Origin https:\/\/evil\.example is not allowed/);
    expect((await rawPost(url, { ...auth, origin: "http://localhost:3000" })).status).toBe(200);
    expect((await rawPost(url, { ...auth, host: "evil.example" })).status).toBe(403);
    expect((await rawPost(url, { ...auth, host: "localhost:4100" })).status).toBe(200);
    // The setting all StoreLite servers share (STORELITE_ALLOWED_HOSTS) adds a name here too.
    expect((await rawPost(url, { ...auth, host: "shop.local:4100" })).status).toBe(200);
  });

  it("a foreign Host gets no data, even with the token: the same edge as the API (api/src/http/edge.ts)", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
    const rebound = await rawPost(url, { ...auth, host: "evil.example:4000" }, list);
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toMatch(/inventory_/);
    expect(JSON.parse(rebound.body).error.message).toMatch(/^Host "evil\.example:4000" is not allowed: .*STORELITE_MCP_ALLOWED_HOSTS/);
    expect(rebound.headers["x-content-type-options"]).toBe("nosniff");
    // A write from a foreign page's Origin changes nothing.
    const before = await databaseChecksum(t.db.pool);
    const add = JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "inventory_add_item", arguments: { name: "Evil", unit_price: "1" } } });
    expect((await rawPost(url, { ...auth, origin: "https://evil.example" }, add)).status).toBe(403);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("serves every tool to a client with the token, with effects in PostgreSQL", async () => {
    const client = await connect(url, { authorization: `Bearer ${TOKEN}` });
    clients.push(client);
    await checkToolList(client);
    await exerciseEveryTool(client, t.db.pool);
  });
});

describe("the HTTP server running its operations over HTTP against a real StoreLite API", () => {
  const api = useTestServer();
  let mcp: McpHttpServer | undefined;
  let url = "";
  let client: Client;

  beforeAll(async () => {
    mcp = createMcpHttpServer({ executor: httpExecutor({ url: `${api.base}/graphql`, token: api.owner.token }), log: () => {} });
    url = await mcp.listen(0, "127.0.0.1");
    client = await connect(url);
  });
  afterAll(async () => {
    await client?.close();
    await mcp?.close();
  });

  it("serves every tool, with effects in the API's database", async () => {
    await checkToolList(client);
    const { flour } = await exerciseEveryTool(client, api.db.pool);
    // The API sees what MCP did.
    const viaApi = await api.graphql<{ item: { stockQty: string } }>(`{ item(id: ${flour}) { stockQty } }`);
    expect(viaApi.data?.item.stockQty).toBe("33.500");
  });

  it("passes the API's refusals on as isError results and changes nothing", async () => {
    const before = await databaseChecksum(api.db.pool);
    expect(refused(await call(client, "inventory_adjust_stock", { item_id: 123_456, delta: 1 }))).toBe("Item 123456 does not exist. Nothing was changed.");
    expect(refused(await call(client, "inventory_list_items", { first: 0 }))).toMatch(/first: must be a whole number from 1 to 200/);
    expect(await databaseChecksum(api.db.pool)).toBe(before);
  });

  it("says plainly when the API cannot be reached", async () => {
    const down = createMcpHttpServer({ executor: httpExecutor({ url: "http://127.0.0.1:9/graphql" }), log: () => {} });
    const downUrl = await down.listen(0, "127.0.0.1");
    const c = await connect(downUrl);
    try {
      expect(refused(await call(c, "inventory_list_categories"))).toMatch(/Cannot reach the StoreLite API at http:\/\/127\.0\.0\.1:9\/graphql/);
      expect(ok(await call(client, "inventory_list_categories")).categories.length).toBeGreaterThan(0);
    } finally {
      await c.close();
      await down.close();
    }
  });
});
