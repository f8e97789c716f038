// `npm run bench:search`: items(search:) through GraphQL at 100k and 1M items,
// for every class of term a counter types (selective, common 3-letter, one or
// two letters, an exact SKU, an SKU prefix, an absent word whose first letters
// are common, a common piece inside words), against the very SQL that
// listItems runs (searchSql), driven directly by pgbench. Prints p50/p99, the
// ratios, and for each class the plan PostgreSQL ran. `--baseline DIR` also
// runs the API of checkout DIR on the same database: before/after in one run.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { searchSql, searchSqlParams } from "../api/src/domain/items.ts";
import { apiRoot, startApi, type RunningApi } from "./lib/api.ts";
import { runBench } from "./lib/cleanup.ts";
import { processCpuMs } from "./lib/cpu.ts";
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
    terms: { type: "string" },
    baseline: { type: "string" },
    "api-env": { type: "string", multiple: true, default: [] },
  },
});
const SIZES = opts.sizes.split(",").map(Number);
const CLIENTS = opts.clients.split(",").map(Number);
const SECONDS = Number(opts.seconds);
const FIRST = Number(opts.first);
const apiEnv = Object.fromEntries(opts["api-env"].map((kv) => kv.split("=", 2) as [string, string]));

// Item g has SKU 896000000000g (13 digits), so these exist at 100k and at 1M.
const ALL_TERMS = [
  { label: "selective", term: RARE_WORD.toLowerCase() },
  { label: "common 3-letter", term: "tea" },
  { label: "2 letters", term: "su" },
  { label: "1 letter", term: "k" },
  { label: "exact SKU", term: "8960000012345" },
  { label: "SKU prefix", term: "896000001234" },
  // The word-start plan's hardest case: no match, but "tea" begins 50,000 words (at 1M).
  { label: "absent, common first letters", term: "teapot" },
  // Inside words only ("Milk"): the estimate calls it common, so the A–Z walk at once.
  { label: "common mid-word", term: "ilk" },
  // Inside words only, 4+ letters ("Cashews", 1 in 60 names): probe or walk by the estimate.
  { label: "common 4+ letter mid-word", term: "ashew" },
  // Inside words only and rare ("Saffron"): the trigram probe collects them.
  { label: "rare mid-word", term: "affro" },
  // A deep page: the 21st page of "tea" (the cursor deep inside the word group).
  { label: "deep page (21st) of", term: "tea", pages: 20 },
];
const TERMS = opts.terms ? ALL_TERMS.filter((t) => opts.terms!.split(",").includes(t.label)) : ALL_TERMS;

// listItems' own SQL for `search` with no other filter (pgbench variables for its parameters),
// after a cursor (as listItems decodes it: rank group, sort name, id) for a deep page.
const escape = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);
type SearchCursor = [number, string, number];
function searchCase(term: string, placeholder: (name: string) => string, cursor?: SearchCursor) {
  const vars: Record<string, string> = {};
  const param = (value: string, name: string) => {
    vars[name] = value;
    return placeholder(name);
  };
  const p = searchSqlParams(term, cursor?.[0] ?? 0, param);
  const after = cursor && { group: cursor[0], condition: cursor[0] === 0 ? "true" : `(lower(name), id) > (${param(cursor[1], "after_name")}, ${param(String(cursor[2]), "after_id")})` };
  return { sql: searchSql("is_active", p, FIRST + 1, after)!, vars };
}
const decodeSearchCursor = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as SearchCursor;

/** The cursor after `pages` pages of `term`, paged through the API. */
async function cursorAfter(api: RunningApi, term: string, pages: number): Promise<string> {
  let after: string | null = null;
  for (let i = 0; i < pages; i++) {
    const res = await fetch(`${api.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...api.headers },
      body: graphqlBody("inventory_list_items", LIST_ITEMS, { search: term, first: FIRST, after }),
    });
    const page = ((await res.json()) as { data: { items: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } }).data.items.pageInfo;
    if (!page.hasNextPage || !page.endCursor) throw new Error(`"${term}" has fewer than ${pages + 1} pages of ${FIRST}`);
    after = page.endCursor;
  }
  return after!;
}

/**
 * The baseline checkout's code expects its own indexes (e.g. main's search ORs a
 * trigram index on sku that this checkout's migrations drop): create every index
 * its migrations define that this database lacks, so "before" is measured on the
 * schema it was written for. The current code's plans are printed, so an extra
 * index it would pick up shows there.
 */
async function addBaselineIndexes(db: BenchDb, dir: string): Promise<string[]> {
  const migrations = path.join(dir, "prisma", "migrations");
  // The index definitions its migrations leave in place, in order (a later DROP INDEX removes one).
  const defined = new Map<string, string>();
  for (const name of fs.readdirSync(migrations).sort()) {
    const file = path.join(migrations, name, "migration.sql");
    if (!fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, "utf8").matchAll(/CREATE (?:UNIQUE )?INDEX "(\w+)" ON "items"[^;]*;|DROP INDEX (?:IF EXISTS )?"(\w+)";/g)) {
      if (m[1]) defined.set(m[1], m[0]);
      else defined.delete(m[2]!);
    }
  }
  const added: string[] = [];
  for (const [index, sql] of defined) {
    const { rows } = await db.pool.query("SELECT 1 FROM pg_indexes WHERE indexname = $1", [index]);
    if (rows.length) continue;
    await db.pool.query(sql);
    added.push(index);
  }
  return added;
}

async function explain(db: BenchDb, term: string, cursor?: SearchCursor): Promise<{ plan: string[]; matches: number; ms: number }> {
  const names: string[] = [];
  const { sql, vars } = searchCase(term, (n) => `$${names.push(n)}`, cursor);
  const { rows } = await db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`, names.map((n) => vars[n]));
  const lines = rows.map((r) => r["QUERY PLAN"]);
  // The nodes that ran (the branches of groups a page never reached show "never executed").
  const plan: string[] = [];
  let ran = true;
  for (const l of lines) {
    if (/\(actual|never executed/.test(l)) ran = !/never executed/.test(l);
    if (ran && ((/Scan/.test(l) && !/CTE Scan|Subquery Scan/.test(l)) || /Rows Removed|Heap Fetches: [1-9]/.test(l))) plan.push(l.trim().replace(/^-> +/, ""));
  }
  const { rows: n } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM items WHERE is_active AND (name ILIKE $1 OR sku ILIKE $1)`, [`%${escape(term)}%`]);
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join("\n"))?.[1]);
  return { plan, matches: Number(n[0]!.n), ms };
}

runBench(async () => {
  console.log(`StoreLite search bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  console.log(`sizes ${SIZES.join("/")}, terms ${TERMS.map((t) => `"${t.term}"`).join("/")}, first ${FIRST}, clients ${CLIENTS.join("/")}, ${SECONDS} s per run\n`);

  const db = await startBenchDb();
  if (opts.baseline) {
    const added = await addBaselineIndexes(db, opts.baseline);
    console.log(`indexes of the baseline's schema added for it: ${added.join(", ") || "none"}`);
  }
  const pgbenchBin = findPgbench();
  if (!pgbenchBin) console.log(`\n${PGBENCH_MISSING}\n`);
  let apis: { path: string; server: RunningApi }[] | undefined;

  type Row = { size: number; label: string; term: string; clients: number; path: string; m: Measured; base?: Measured; cpu?: number };
  const rows: Row[] = [];
  const plans: string[] = [];
  let loaded = 0;
  for (const size of SIZES) {
    await loadItems(db.pool, loaded + 1, size);
    loaded = size;
    if (!apis) {
      const api = await startApi(db.url, apiEnv);
      console.log(`API (pid ${api.pid}) at ${api.base}, from ${apiRoot}`);
      apis = [{ path: "graphql", server: api }];
      if (opts.baseline) {
        const baseline = await startApi(db.url, apiEnv, [], opts.baseline);
        console.log(`baseline API (pid ${baseline.pid}) at ${baseline.base}, from ${opts.baseline}`);
        apis.unshift({ path: "graphql@baseline", server: baseline });
      }
      console.log("");
    }
    for (const { label, term, pages } of TERMS) {
      // A deep page's cursor comes from paging through the API (the current code's cursor format).
      const after = pages ? await cursorAfter(apis.at(-1)!.server, term, pages) : undefined;
      const cursor = after ? decodeSearchCursor(after) : undefined;
      const plan = await explain(db, term, cursor);
      const head = `${size.toLocaleString("en")} items, ${label} "${term}" (${plan.matches.toLocaleString("en")} matches, ${fmt.ms(plan.ms)} ms in EXPLAIN ANALYZE):`;
      plans.push([head, ...plan.plan.map((l) => `    ${l}`)].join("\n"));
      console.log(`${head} ${plan.plan.filter((l) => /Scan/.test(l)).join("; ")}`);
      const body = graphqlBody("inventory_list_items", LIST_ITEMS, { search: term, first: FIRST, ...(after ? { after } : {}) });
      for (const a of apis) {
        const request = () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json", ...a.server.headers }, body });
        await load({ url: a.server.base, connections: 2, seconds: 1, request, ok: graphqlDataOk });
      }
      for (const clients of CLIENTS) {
        let base: Measured | undefined;
        if (pgbenchBin) {
          const { sql, vars } = searchCase(term, (n) => `:${n}`, cursor);
          base = await pgbench(pgbenchBin, db, { script: `${sql.replace(/\s+/g, " ")};\n`, clients, seconds: SECONDS, vars, mode: "extended" });
          rows.push({ size, label, term, clients, path: "pg (pgbench)", m: base });
        }
        for (const a of apis) {
          const request = () => ({ method: "POST", path: "/graphql", headers: { "content-type": "application/json", ...a.server.headers }, body });
          const cpu0 = processCpuMs(a.server.pid);
          const m = await load({ url: a.server.base, connections: clients, seconds: SECONDS, request, ok: graphqlDataOk });
          const cpu = (processCpuMs(a.server.pid) - cpu0) / (m.ok || NaN);
          rows.push({ size, label, term, clients, path: a.path, m, cpu, ...(base ? { base } : {}) });
          console.log(
            `  ${String(clients).padStart(2)} clients ${a.path.padEnd(16)} p50 ${fmt.ms(m.p50)} ms p99 ${fmt.ms(m.p99)} ms ${fmt.rate(m.rate)} req/s, API CPU ${fmt.ms(cpu)} ms/req` +
              (base ? ` | pg p50 ${fmt.ms(base.p50)} ms p99 ${fmt.ms(base.p99)} ms ${fmt.rate(base.rate)} q/s | ratio ${fmt.ratio(m.rate / base.rate)}, p99 ${fmt.ratio(m.p99 / base.p99)}` : "") +
              (m.failed ? ` (${m.failed} failed: ${m.sampleFailure})` : ""),
          );
        }
      }
    }
  }

  console.log("\nSummary (ratio = GraphQL req/s ÷ this run's SQL q/s; p99× = GraphQL p99 ÷ SQL p99; @baseline = the --baseline checkout's API on the same database)\n");
  console.log(
    table(
      ["items", "term", "clients", "path", "req/s", "p50 ms", "p99 ms", "API CPU ms/req", "ratio", "p99×"],
      rows.map((r) => [
        r.size.toLocaleString("en"),
        `${r.label} "${r.term}"`,
        String(r.clients),
        r.path,
        fmt.rate(r.m.rate),
        fmt.ms(r.m.p50),
        fmt.ms(r.m.p99),
        r.cpu === undefined ? "" : fmt.ms(r.cpu),
        r.base ? fmt.ratio(r.m.rate / r.base.rate) : "",
        r.base ? fmt.ratio(r.m.p99 / r.base.p99) : "",
      ]),
    ),
  );
  const graphqlRows = rows.filter((r) => r.path === "graphql" && r.size === Math.max(...SIZES));
  const worst = graphqlRows.reduce((a, b) => (b.m.p99 > a.m.p99 ? b : a), graphqlRows[0]!);
  if (worst) console.log(`\nTarget (every class ≤ 10 ms p99 through GraphQL at ${Math.max(...SIZES).toLocaleString("en")} items): worst ${worst.label} "${worst.term}" at ${worst.clients} clients, p99 ${fmt.ms(worst.m.p99)} ms → ${worst.m.p99 <= 10 ? "met" : "not met"}`);
  console.log("\nPlans (nodes that ran; EXPLAIN ANALYZE of searchSql, first " + FIRST + "):\n" + plans.join("\n"));
});
