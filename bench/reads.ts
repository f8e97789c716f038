// `npm run bench:reads`: items(first: 50) through GraphQL against a bare
// node:http server (bench/lib/plain-server.ts, its own process) that calls the
// same listItems on the same kind of pool and writes the same JSON — so the
// ratio is what GraphQL (Apollo + Pothos) costs on a list read; "plain + sign-in"
// also checks the request's credentials first (one session lookup), as the API
// does. Another path serves pre-serialized bytes: the HTTP floor of this machine. `--baseline DIR`
// also serves GraphQL from checkout DIR (with `--baseline-env K=V` settings) on
// the same database: before/after in one run.
import { parseArgs } from "node:util";
import { apiRoot, repoRoot, startApi, startServer } from "./lib/api.ts";
import { runBench } from "./lib/cleanup.ts";
import { processCpuMs } from "./lib/cpu.ts";
import { loadItems, startBenchDb } from "./lib/db.ts";
import { LIST_ITEMS, graphqlBody, graphqlDataOk } from "./lib/graphql.ts";
import { load } from "./lib/load.ts";
import { fmt, machineInfo, table, type Measured } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    items: { type: "string", default: "10000" },
    first: { type: "string", default: "50" },
    clients: { type: "string", default: "1,16" },
    seconds: { type: "string", default: "4" },
    "api-env": { type: "string", multiple: true, default: [] },
    baseline: { type: "string" },
    "baseline-env": { type: "string", multiple: true, default: [] },
    "api-node-arg": { type: "string", multiple: true, default: [] },
  },
});
const N = Number(opts.items);
const FIRST = Number(opts.first);
const CLIENTS = opts.clients.split(",").map(Number);
const SECONDS = Number(opts.seconds);
const envOf = (list: string[]) => Object.fromEntries(list.map((kv) => kv.split("=", 2) as [string, string]));
const apiEnv = envOf(opts["api-env"]);

runBench(async () => {
  console.log(`StoreLite reads bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  console.log(`items(first: ${FIRST}) over ${N.toLocaleString("en")} items, clients ${CLIENTS.join("/")}, ${SECONDS} s per run\n`);

  const db = await startBenchDb();
  await loadItems(db.pool, 1, N);
  const { rows: plan } = await db.pool.query<{ "QUERY PLAN": string }>(
    `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT id FROM items WHERE is_active ORDER BY lower(name), id LIMIT ${FIRST + 1}`,
  );
  console.log(`first page in SQL: ${plan.map((r) => r["QUERY PLAN"].trim()).filter((l) => /Scan|Sort Method|Execution Time/.test(l)).join("; ")}`);

  const api = await startApi(db.url, apiEnv, opts["api-node-arg"]);
  // The same node arguments (e.g. --cpu-prof) for the bare server, so profiles compare.
  const plain = await startServer(repoRoot, "bench/lib/plain-server.ts", db.url, {}, opts["api-node-arg"]);
  console.log(`API (pid ${api.pid}) at ${api.base} from ${apiRoot}; plain node:http (pid ${plain.pid}) at ${plain.base}`);
  const baseline = opts.baseline ? await startApi(db.url, envOf(opts["baseline-env"]), opts["api-node-arg"], opts.baseline) : undefined;
  if (baseline) console.log(`baseline API (pid ${baseline.pid}) at ${baseline.base} from ${opts.baseline} ${opts["baseline-env"].join(" ")}`);

  const gqlBody = graphqlBody("inventory_list_items", LIST_ITEMS, { first: FIRST });
  const gql = await (await fetch(`${api.base}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...api.headers }, body: gqlBody })).text();
  const bare = await (await fetch(`${plain.base}/items?first=${FIRST}`)).text();
  console.log(`same JSON from both: ${gql === bare ? "yes" : "NO"} (${Buffer.byteLength(gql).toLocaleString("en")} bytes)`);
  if (gql !== bare) {
    let at = 0;
    while (gql[at] === bare[at]) at++;
    console.log(`  first difference at byte ${at}:\n  graphql: …${gql.slice(Math.max(0, at - 80), at + 80)}\n  plain:   …${bare.slice(Math.max(0, at - 80), at + 80)}`);
  }

  const gqlPath = { request: () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json", ...baseline?.headers }, body: gqlBody }), ok: graphqlDataOk };
  const paths = [
    ...(baseline ? [{ name: "graphql@baseline", server: baseline, ...gqlPath }] : []),
    { name: "graphql", server: api, request: () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json", ...api.headers }, body: gqlBody }), ok: graphqlDataOk },
    { name: "plain node:http", server: plain, request: () => ({ method: "GET", path: `/items?first=${FIRST}` }), ok: (s: number) => s === 200 },
    { name: "plain + sign-in", server: plain, request: () => ({ method: "GET", path: `/items-signed-in?first=${FIRST}`, headers: api.headers }), ok: (s: number) => s === 200 },
    { name: "static bytes", server: plain, request: () => ({ method: "GET", path: `/static?first=${FIRST}` }), ok: (s: number) => s === 200 },
  ];
  for (const p of paths) await load({ url: p.server.base, connections: 4, seconds: 1, request: p.request, ok: p.ok }); // warm-up
  console.log("warmed up\n");

  type Row = { clients: number; path: string; m: Measured; cpu: number };
  const rows: Row[] = [];
  for (const clients of CLIENTS) {
    for (const p of paths) {
      const cpu0 = processCpuMs(p.server.pid);
      const m = await load({ url: p.server.base, connections: clients, seconds: SECONDS, request: p.request, ok: p.ok });
      const cpu = (processCpuMs(p.server.pid) - cpu0) / (m.ok || NaN);
      rows.push({ clients, path: p.name, m, cpu });
      console.log(`${String(clients).padStart(2)} clients  ${p.name.padEnd(16)} ${fmt.rate(m.rate).padStart(6)} req/s  p50 ${fmt.ms(m.p50).padStart(5)} ms  p99 ${fmt.ms(m.p99).padStart(5)} ms  server CPU ${fmt.ms(cpu)} ms/req${m.failed ? `  (${m.failed} failed: ${m.sampleFailure})` : ""}`);
    }
  }

  console.log("\nSummary (ratio = GraphQL ÷ plain node:http on the same domain call, same run)\n");
  console.log(
    table(
      ["clients", "path", "req/s", "p50 ms", "p99 ms", "server CPU ms/req", "GraphQL ÷ this (req/s)", "GraphQL CPU ÷ this"],
      rows.map((r) => {
        const g = rows.find((x) => x.clients === r.clients && x.path === "graphql")!;
        const self = r.path === "graphql";
        return [String(r.clients), r.path, fmt.rate(r.m.rate), fmt.ms(r.m.p50), fmt.ms(r.m.p99), fmt.ms(r.cpu), self ? "" : fmt.ratio(g.m.rate / r.m.rate), self ? "" : fmt.ratio(g.cpu / r.cpu)];
      }),
    ),
  );
});
