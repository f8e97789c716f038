// The direct path for queries (graphql/server.ts directQueries) must answer
// exactly what Apollo answers, and leave everything it does not handle to Apollo.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../src/domain/items.ts";
import { createGraphQLHandler } from "../src/graphql/server.ts";
import { signedInStaff, useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase();
/** What the web app's GraphQL client (urql) sends. */
const URQL_ACCEPT = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed";

type Handler = Awaited<ReturnType<typeof createGraphQLHandler>>;
async function serve(jit: boolean): Promise<{ base: string; handler: Handler; close: () => Promise<void> }> {
  const handler = await createGraphQLHandler({ db: t.db, introspection: false, maxBodyBytes: 1_000_000, jit, log: () => {} });
  const server = http.createServer((req, res) => void handler.handle(req, res, new URL(req.url ?? "/", "http://localhost")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, handler, close: () => Promise.all([handler.stop(), new Promise((resolve) => server.close(resolve))]).then(() => {}) };
}

describe("GraphQL queries on the direct path", () => {
  let direct: Awaited<ReturnType<typeof serve>>;
  let apollo: Awaited<ReturnType<typeof serve>>;
  let token: string;
  beforeAll(async () => {
    for (const name of ["Green Tea 100g", "Tea Whitener", "Sugar 1kg"]) await createItem(t.ctx(), { name, unitPrice: "12.50", category: "Grocery" });
    token = (await signedInStaff(t.db, "OWNER")).token;
    [direct, apollo] = await Promise.all([serve(true), serve(false)]);
  });
  afterAll(async () => {
    await Promise.all([direct?.close(), apollo?.close()]);
  });

  const list = `query inventory_list_items($search: String, $first: Int = 20) { items(search: $search, first: $first) { nodes { id name sku unitPrice stockQty isActive } pageInfo { hasNextPage endCursor } } }`;
  const post = (body: unknown, headers: Record<string, string> = {}) => ({ method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const cases: { name: string; path?: string; init: RequestInit; direct: boolean }[] = [
    { name: "a list with variables", init: post({ operationName: "inventory_list_items", query: list, variables: { search: "tea", first: 1 } }), direct: true },
    { name: "the same text again, other variables", init: post({ operationName: "inventory_list_items", query: list, variables: { first: 5 } }), direct: true },
    { name: "no operation name, no variables", init: post({ query: "{ categories { name itemCount } }" }), direct: true },
    { name: "one operation of several, by name", init: post({ operationName: "B", query: "query A { categories { name } } query B { items(first: 1) { nodes { name } } }" }), direct: true },
    { name: "Accept: */*", init: post({ query: "{ categories { name } }" }, { accept: "*/*" }), direct: true },
    { name: "a resolver's error (first: 0)", init: post({ query: "{ items(first: 0) { nodes { name } } }" }), direct: false },
    { name: "a variable of the wrong type", init: post({ query: list, variables: { first: "many" } }), direct: false },
    { name: "a syntax error", init: post({ query: "{ items(first: 1) { nodes { name }" }), direct: false },
    { name: "an unknown field", init: post({ query: "{ items(first: 1) { nodes { nme } } }" }), direct: false },
    { name: "introspection while it is off", init: post({ query: "{ __schema { queryType { name } } }" }), direct: false },
    { name: "over the cost limit", init: post({ query: `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: items(first: 200) { nodes { name sku category } }`).join(" ")} }` }), direct: false },
    { name: "an operation name that is not there", init: post({ operationName: "Nope", query: list }), direct: false },
    // Another Accept: Apollo answers the first time, and how it answered is kept for the next.
    { name: "urql's Accept, first time", init: post({ query: "{ categories { name } }" }, { accept: URQL_ACCEPT }), direct: false },
    { name: "urql's Accept, again", init: post({ query: "{ categories { name itemCount } }" }, { accept: URQL_ACCEPT }), direct: true },
    { name: "Accept: application/graphql-response+json, first time, with an error", init: post({ query: "{ items(first: 0) { nodes { name } } }" }, { accept: "application/graphql-response+json" }), direct: false },
    { name: "Accept: application/graphql-response+json, still unknown", init: post({ query: "{ categories { name } }" }, { accept: "application/graphql-response+json" }), direct: false },
    { name: "Accept: application/graphql-response+json, known", init: post({ query: "{ categories { name } }" }, { accept: "application/graphql-response+json" }), direct: true },
    { name: "persisted-query extensions", init: post({ query: "{ categories { name } }", extensions: { persistedQuery: { version: 1, sha256Hash: "00" } } }), direct: false },
    { name: "variables as a string", init: post({ query: list, variables: "{}" }), direct: false },
    { name: "a GET query", path: `/graphql?query=${encodeURIComponent("{ categories { name } }")}`, init: { method: "GET", headers: { "apollo-require-preflight": "1" } }, direct: false },
    { name: "text/plain (CSRF)", init: { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ categories { name } }" }) }, direct: false },
  ];

  it("answers successful JSON queries itself, byte for byte as Apollo does, and hands everything else to Apollo", async () => {
    for (const c of cases) {
      const send = async (s: typeof direct) => {
        const before = s.handler.answeredDirectly();
        const headers = { ...(c.init.headers as Record<string, string>), authorization: `Bearer ${token}` };
        const res = await fetch(`${s.base}${c.path ?? "/graphql"}`, { ...c.init, headers });
        const body = await res.text();
        return { status: res.status, type: res.headers.get("content-type"), vary: res.headers.get("vary"), body, directly: s.handler.answeredDirectly() - before };
      };
      const [a, b] = [await send(direct), await send(apollo)];
      expect({ ...a, directly: undefined }, c.name).toEqual({ ...b, directly: undefined });
      expect(a.directly, c.name).toBe(c.direct ? 1 : 0);
      expect(b.directly, c.name).toBe(0);
      if (c.direct) expect(JSON.parse(a.body).data, c.name).toBeTruthy();
      if (c.name.endsWith("known")) expect(a.type).toBe("application/graphql-response+json; charset=utf-8");
    }
    // The answers carry the data (not just agreement on an error).
    const page = JSON.parse((await (await fetch(`${direct.base}/graphql`, { ...cases[0]!.init, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } })).text()));
    expect(page.data.items.nodes).toEqual([{ id: expect.any(Number), name: "Tea Whitener", sku: null, unitPrice: "12.50", stockQty: "0.000", isActive: true }]);
  });

  it("refuses a signed-out caller the same way", async () => {
    const init = post({ query: "{ items(first: 1) { nodes { name } } }" });
    const [a, b] = await Promise.all([direct, apollo].map(async (s) => (await fetch(`${s.base}/graphql`, init)).text()));
    expect(a).toBe(b);
    expect(JSON.parse(a!).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });
});
