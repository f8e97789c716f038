// `npm run bench:search`: items(search:) through GraphQL at 100k and 1M items,
// for a selective term and a common 3-letter term, against the very SQL that
// listItems runs, driven directly by pgbench. Prints p50/p99, the ratios, and
// the query plan's scan line to show whether the trigram index is used.
import { parseArgs } from "node:util";
import { itemListSql } from "../api/src/domain/items.ts";
import { apiRoot, startApi } from "./lib/api.ts";
import { runBench } from "./lib/cleanup.ts";
import { RARE_WORD, loadItems, startBenchDb, type BenchDb } from "./lib/db.ts";
import { LIST_ITEMS, graphqlBody, graphqlDataOk } from "./lib/graphql.ts";
import { load } from "./lib/load.ts";
import { PGBENCH_MISSING, findPgbench, pgbench } from "./lib/pgbench.ts";
import { fmt, machineInfo, table, type Measured } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,1000000" },
    clients: { type: "string", default: "1,4" },
    seconds: { type: "string", default: "3" },
    first: { type: "string", default: "20" },
    "api-env": { type: "string", multiple: true, default: [] },
  },
});
const SIZES = opts.sizes.split(",").map(Number);
const CLIENTS = opts.clients.split(",").map(Number);
const SECONDS = Number(opts.seconds);
const FIRST = Number(opts.first);
const apiEnv = Object.fromEntries(opts["api-env"].map((kv) => kv.split("=", 2) as [string, string]));

const TERMS = [
  { label: "selective", term: RARE_WORD.toLowerCase() },
  { label: "common", term: "tea" },
];

// listItems' own SQL for `search` with no other filter; the pattern escapes
// LIKE wildcards, so for plain words it is just %term%.
const listSql = (param: string) => itemListSql(`WHERE is_active AND (name ILIKE ${param} OR sku ILIKE ${param})`, true, FIRST + 1);

async function explain(db: BenchDb, term: string): Promise<{ scan: string; matches: number; ms: number }> {
  const { rows } = await db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${listSql("$1")}`, [`%${term}%`]);
  const lines = rows.map((r) => r["QUERY PLAN"]);
  const scan = lines.find((l) => /Scan on items|Scan using/.test(l))?.trim() ?? lines.join(" | ");
  const indexes = [...new Set(lines.flatMap((l) => /Index Scan (?:on|using) (\w+)/.exec(l)?.[1] ?? []))];
  const { rows: n } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM items WHERE is_active AND (name ILIKE $1 OR sku ILIKE $1)`, [`%${term}%`]);
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join("\n"))?.[1]);
  return { scan: indexes.length ? `${scan}; indexes: ${indexes.join(", ")}` : scan, matches: Number(n[0]!.n), ms };
}

runBench(async () => {
  console.log(`StoreLite search bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  console.log(`sizes ${SIZES.join("/")}, terms ${TERMS.map((t) => `"${t.term}"`).join("/")}, first ${FIRST}, clients ${CLIENTS.join("/")}, ${SECONDS} s per run\n`);

  const db = await startBenchDb();
  const pgbenchBin = findPgbench();
  if (!pgbenchBin) console.log(`\n${PGBENCH_MISSING}\n`);
  let api: Awaited<ReturnType<typeof startApi>> | undefined;

  type Row = { size: number; label: string; term: string; clients: number; path: string; m: Measured; base?: Measured };
  const rows: Row[] = [];
  const plans: string[] = [];
  let loaded = 0;
  for (const size of SIZES) {
    await loadItems(db.pool, loaded + 1, size);
    loaded = size;
    api ??= await startApi(db.url, apiEnv);
    if (size === SIZES[0]) console.log(`API (pid ${api.pid}) at ${api.base}, from ${apiRoot}\n`);
    for (const { label, term } of TERMS) {
      const plan = await explain(db, term);
      const used = /items_name_trgm_idx/.test(plan.scan);
      const line = `${size.toLocaleString("en")} items, "${term}" (${plan.matches.toLocaleString("en")} matches, ${fmt.ms(plan.ms)} ms in EXPLAIN ANALYZE): ${plan.scan} — trigram index ${used ? "USED" : "NOT used"}`;
      plans.push(line);
      console.log(line);
      const body = graphqlBody("inventory_list_items", LIST_ITEMS, { search: term, first: FIRST });
      await load({ url: api.base, connections: 2, seconds: 1, request: () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json", ...api!.headers }, body }), ok: graphqlDataOk });
      for (const clients of CLIENTS) {
        let base: Measured | undefined;
        if (pgbenchBin) {
          base = await pgbench(pgbenchBin, db, { script: `${listSql(":pat")};\n`, clients, seconds: SECONDS, vars: { pat: `%${term}%` }, mode: "extended" });
          rows.push({ size, label, term, clients, path: "pg (pgbench)", m: base });
        }
        const m = await load({
          url: api.base,
          connections: clients,
          seconds: SECONDS,
          request: () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json", ...api!.headers }, body }),
          ok: graphqlDataOk,
        });
        rows.push({ size, label, term, clients, path: "graphql", m, ...(base ? { base } : {}) });
        console.log(
          `  ${String(clients).padStart(2)} clients: graphql p50 ${fmt.ms(m.p50)} ms p99 ${fmt.ms(m.p99)} ms ${fmt.rate(m.rate)} req/s` +
            (base ? ` | pg p50 ${fmt.ms(base.p50)} ms p99 ${fmt.ms(base.p99)} ms ${fmt.rate(base.rate)} q/s | ratio ${fmt.ratio(m.rate / base.rate)} throughput, p99 ${fmt.ratio(m.p99 / base.p99)}` : "") +
            (m.failed ? ` (${m.failed} failed: ${m.sampleFailure})` : ""),
        );
      }
    }
  }

  console.log("\nSummary (ratio = GraphQL req/s ÷ direct SQL q/s; p99× = GraphQL p99 ÷ SQL p99)\n");
  console.log(
    table(
      ["items", "term", "clients", "path", "req/s", "p50 ms", "p99 ms", "ratio", "p99×"],
      rows.map((r) => [
        r.size.toLocaleString("en"),
        `${r.label} "${r.term}"`,
        String(r.clients),
        r.path,
        fmt.rate(r.m.rate),
        fmt.ms(r.m.p50),
        fmt.ms(r.m.p99),
        r.base ? fmt.ratio(r.m.rate / r.base.rate) : "",
        r.base ? fmt.ratio(r.m.p99 / r.base.p99) : "",
      ]),
    ),
  );
  console.log("\nPlans:\n" + plans.map((p) => `  ${p}`).join("\n"));
});
