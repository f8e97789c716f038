// The API server's network edge on a real server and database: a foreign Host
// gets no data (DNS rebinding), a foreign Origin gets no CORS headers and can
// write nothing through any door (REST, GraphQL, /agent/chat, /chatkit), an
// allowed origin works (preflight included), and every answer carries the
// security headers. The web server's and MCP server's edges have their own tests.
import http from "node:http";
import os from "node:os";
import { functionCall, modelResponder, assistantMessage } from "@openai/agents/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/open.ts";
import { createApp } from "../src/http/server.ts";
import { schema } from "../src/graphql/schema.ts";
import { InProcessMcpServer } from "../src/agent/mcp.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { inProcessExecutor } from "../../mcp/src/executor.ts";
import { buildServer } from "../../mcp/src/tools.ts";

const ALLOWED_ORIGIN = "http://shop.local:3000";
const FOREIGN = "https://evil.example";

const t = useAssistantServer({
  mcpServers: (db) => [new InProcessMcpServer(() => buildServer({ executor: inProcessExecutor({ schema, db }), log: () => {} }))],
  env: { STORELITE_ALLOWED_HOSTS: ["shop.local"], STORELITE_ALLOWED_ORIGINS: [ALLOWED_ORIGIN] },
});

let sugarId = 0;
beforeAll(async () => {
  await seedDemo(t.db);
  sugarId = (await t.db.pool.query<{ id: number }>("SELECT id FROM items WHERE name = 'Sugar'")).rows[0]!.id;
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * A request over a plain socket to the test server, so Host and Origin can be anything.
 * `owner: true` sends the signed-in owner's bearer token: the edge must refuse a foreign
 * Host or Origin even with valid credentials, and let the owner's allowed requests through.
 */
async function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown; port?: string; owner?: boolean } = {}): Promise<RawResponse> {
  const port = opts.port ?? new URL(t.base).port;
  const auth = opts.owner ? await t.headersFor("OWNER") : {};
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: opts.method ?? "GET",
        headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...auth, ...opts.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const port = () => new URL(t.base).port;
const ITEMS_QUERY = { query: "{ items(first: 5) { nodes { id name unitPrice } } }" };
const bill = () => ({ customer_name: "Ali", store_name: "Shop", items: [{ item_id: sugarId, quantity: "1" }] });
const agentRows = async () =>
  (await t.db.pool.query<{ n: string }>("SELECT (SELECT count(*) FROM agent_sessions) + (SELECT count(*) FROM chatkit_threads) AS n")).rows[0]!.n;

describe("Host allow-list", () => {
  it("refuses a foreign Host before any route runs: no data, a clear message", async () => {
    const before = await databaseChecksum(t.db.pool);
    const graphql = await raw("/graphql", { method: "POST", owner: true, headers: { host: "evil.example:4000" }, body: ITEMS_QUERY });
    expect(graphql.status).toBe(403);
    expect(graphql.text).not.toMatch(/Sugar/);
    expect(JSON.parse(graphql.text).error).toEqual({
      code: "HOST_NOT_ALLOWED",
      message: expect.stringMatching(/^Host "evil\.example:4000" is not allowed: .*STORELITE_ALLOWED_HOSTS/),
    });
    for (const path of ["/items", "/bills", `/items/${sugarId}`, "/health", "/docs", "/openapi.json", "/agent/status"]) {
      const res = await raw(path, { owner: true, headers: { host: "evil.example:4000" } });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.text).not.toMatch(/Sugar/);
    }
    // Writes too, also with the attacker's page as a same-origin Origin (what a rebinding page sends).
    const sold = await raw("/bills", { method: "POST", owner: true, headers: { host: "evil.example:4000", origin: "http://evil.example:4000" }, body: bill() });
    expect(sold.status).toBe(403);
    const chat = await raw("/agent/chat", { method: "POST", owner: true, headers: { host: "evil.example" }, body: { message: "sell everything" } });
    expect(chat.status).toBe(403);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("answers to the loopback names on any port and to the configured names only", async () => {
    for (const host of [`127.0.0.1:${port()}`, "localhost:1234", "LOCALHOST", "[::1]:9", `shop.local:${port()}`, "Shop.Local"]) {
      const res = await raw("/graphql", { method: "POST", owner: true, headers: { host }, body: ITEMS_QUERY });
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
      expect(JSON.parse(res.text).data.items.nodes).toHaveLength(5);
    }
    for (const host of ["localhost.evil.example", "shop.local.evil.example", "127.0.0.1.nip.io", "evil.example", "0.0.0.0:4000", "[::2]", "user@localhost"]) {
      const res = await raw("/health", { headers: { host } });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
    }
  });
});

describe("HOST=0.0.0.0 (a counter tablet on the shop's Wi-Fi)", () => {
  it("answers to this machine's own name and addresses, still not to foreign names", async () => {
    const app = await createApp({ db: t.db, env: { introspection: false, STORELITE_MAX_BODY_BYTES: 1_000_000 }, log: () => {} });
    // Every address, but the test talks to it over loopback only, naming the machine in Host.
    const port = new URL(await app.listen(0, "0.0.0.0")).port;
    try {
      for (const name of [os.hostname().toLowerCase(), "127.0.0.1"]) {
        const res = await raw("/graphql", { port, method: "POST", owner: true, headers: { host: `${name}:${port}` }, body: ITEMS_QUERY });
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
      }
      const foreign = await raw("/graphql", { port, method: "POST", owner: true, headers: { host: `evil.example:${port}` }, body: ITEMS_QUERY });
      expect(foreign.status).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe("Origin: CORS and cross-site writes", () => {
  it("a foreign origin gets no CORS headers and can write nothing through any door", async () => {
    const before = await databaseChecksum(t.db.pool);
    const agentBefore = await agentRows();
    const attempts: [string, string, unknown, Record<string, string>?][] = [
      ["POST", "/bills", bill()],
      ["POST", "/items", { name: "Evil", unit_price: "1" }],
      ["PUT", `/items/${sugarId}`, { unit_price: "0.01" }],
      ["DELETE", `/items/${sugarId}`, undefined],
      ["POST", "/graphql", { query: `mutation { updateItem(id: ${sugarId}, input: { unitPrice: "0.01" }) { __typename } }` }],
      // A "simple" request (no preflight in a browser): still refused before Apollo sees it.
      ["POST", "/graphql", JSON.stringify({ query: `mutation { setItemActive(id: ${sugarId}, active: false) { __typename } }` }), { "content-type": "text/plain" }],
      ["POST", "/agent/chat", { message: "Set the price of sugar to 0.01" }],
      ["POST", "/agent/chat/stream", { message: "Set the price of sugar to 0.01" }],
      ["POST", "/chatkit", { type: "threads.create", params: { input: { content: [{ type: "input_text", text: "hi" }], attachments: [], inference_options: {} } } }],
    ];
    for (const [method, path, body, headers] of attempts) {
      for (const origin of [FOREIGN, "null", "http://localhost:3000", `http://127.0.0.1:${Number(port()) + 1}`]) {
        const res = await raw(path, { method, owner: true, headers: { origin, ...headers }, body });
        const what = `${method} ${path} from ${origin}`;
        expect({ what, status: res.status }).toEqual({ what, status: 403 });
        expect(res.headers["access-control-allow-origin"]).toBeUndefined();
        expect(JSON.parse(res.text).error.code).toBe("ORIGIN_NOT_ALLOWED");
      }
      // No Origin, but the browser says the request comes from another site (Fetch Metadata).
      const crossSite = await raw(path, { method, owner: true, headers: { "sec-fetch-site": "cross-site", ...headers }, body });
      expect(crossSite.status).toBe(403);
    }
    // Reads from a foreign page are answered without CORS headers: the browser keeps the data from it.
    const read = await raw("/items", { owner: true, headers: { origin: FOREIGN } });
    expect(read.status).toBe(200);
    expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    expect(read.headers.vary).toMatch(/Origin/);
    // A preflight from a foreign origin is refused without CORS headers.
    const preflight = await raw("/bills", { method: "OPTIONS", headers: { origin: FOREIGN, "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();

    expect(await databaseChecksum(t.db.pool)).toBe(before);
    expect(await agentRows()).toBe(agentBefore);
  });

  it("GET /graphql never runs a mutation (Apollo's CSRF prevention stays on)", async () => {
    const before = await databaseChecksum(t.db.pool);
    const mutation = encodeURIComponent(`mutation { updateItem(id: ${sugarId}, input: { unitPrice: "0.01" }) { __typename } }`);
    const plain = await raw(`/graphql?query=${mutation}`, { owner: true, headers: { accept: "application/json" } });
    expect(plain.status).toBe(400);
    expect(plain.text).toMatch(/Cross-Site Request Forgery/);
    const preflighted = await raw(`/graphql?query=${mutation}`, { owner: true, headers: { accept: "application/json", "apollo-require-preflight": "true" } });
    expect(preflighted.status, preflighted.text).toBe(405);
    expect(preflighted.text).toMatch(/GET requests only support query operations, not mutation/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("non-browser clients (no Origin) and same-origin pages write as before", async () => {
    const sameOrigin = await raw("/graphql", { method: "POST", owner: true, headers: { origin: `http://127.0.0.1:${port()}`, host: `127.0.0.1:${port()}` }, body: ITEMS_QUERY });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers["access-control-allow-origin"]).toBeUndefined(); // same origin needs none
    const script = await raw("/bills", { method: "POST", owner: true, body: bill() });
    expect(script.status).toBe(201);
    // The very mutation the foreign origins sent above, valid and accepted without an Origin.
    const mutation = await raw("/graphql", { method: "POST", owner: true, body: { query: `mutation { updateItem(id: ${sugarId}, input: { unitPrice: "160.00" }) { __typename } }` } });
    expect(JSON.parse(mutation.text)).toEqual({ data: { updateItem: { __typename: "UpdateItemSuccess" } } });
  });

  it("an allowed origin gets its preflight answered and can write, with CORS headers naming it", async () => {
    const host = `shop.local:${port()}`;
    const preflight = await raw("/bills", {
      method: "OPTIONS",
      headers: { host, origin: ALLOWED_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type, idempotency-key" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers["access-control-allow-methods"]).toMatch(/POST/);
    expect(preflight.headers["access-control-allow-headers"]).toMatch(/idempotency-key/);
    expect(preflight.headers.vary).toMatch(/Origin/);
    const sold = await raw("/bills", { method: "POST", owner: true, headers: { host, origin: ALLOWED_ORIGIN, "idempotency-key": "edge-allowed-1" }, body: bill() });
    expect(sold.status).toBe(201);
    expect(sold.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
    expect(sold.headers["access-control-expose-headers"]).toMatch(/location/);
    const gql = await raw("/graphql", { method: "POST", owner: true, headers: { host, origin: ALLOWED_ORIGIN }, body: ITEMS_QUERY });
    expect(gql.status).toBe(200);
    expect(gql.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
    expect(gql.headers.vary).toMatch(/Origin/);
  });

  it("an approval is a write: a foreign page cannot approve the assistant's pending bill", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "sugar" }, { callId: "edge_list" })],
      modelResponder((call) => {
        const sugar = toolOutputsIn(call.request).find((o) => o.callId === "edge_list")!.data.items.nodes[0];
        return [functionCall("billing_create_bill", { customer_name: "Mallory", items: [{ item_id: sugar.id, quantity: "1" }] }, { callId: "edge_bill" })];
      }),
    );
    const asked = await t.chat({ message: "Create a bill for Mallory: 1 kg sugar" });
    expect(asked.body.pending_approvals.map((p: { id: string }) => p.id)).toEqual(["edge_bill"]);
    const before = await databaseChecksum(t.db.pool);

    const approval = { session_id: asked.body.session_id, approval: { id: "edge_bill", approve: true } };
    const forged = await raw("/agent/chat", { method: "POST", owner: true, headers: { origin: FOREIGN }, body: approval });
    expect(forged.status).toBe(403);
    const forgedYes = await raw("/agent/chat", { method: "POST", owner: true, headers: { origin: FOREIGN }, body: { session_id: asked.body.session_id, message: "yes" } });
    expect(forgedYes.status).toBe(403);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    // The owner's own client approves it: the edge let the real approval through.
    t.model.enqueue([assistantMessage("Done.")]);
    const done = await t.chat(approval);
    expect(done.body.results).toEqual([expect.objectContaining({ tool: "billing_create_bill", ok: true })]);
    t.model.assertComplete();
  });
});

describe("security headers", () => {
  it("every answer has nosniff, no framing and a referrer policy; the API's pages have a CSP", async () => {
    const pages = [
      await raw("/docs/"),
      await raw("/graphql", { headers: { accept: "text/html" } }),
      await raw("/items", { owner: true }),
      await raw("/graphql", { method: "POST", owner: true, body: ITEMS_QUERY }),
      await raw("/nope"),
      await raw("/health", { headers: { host: "evil.example" } }),
    ];
    expect(pages[0]!.headers["content-type"]).toMatch(/text\/html/);
    expect(pages[1]!.headers["content-type"]).toMatch(/text\/html/);
    for (const res of pages) {
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(res.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(res.headers["content-security-policy"]).toMatch(/script-src 'self'(;|$)/);
    }
  });
});
