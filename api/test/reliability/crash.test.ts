// Reliability: kill -9 StoreLite in the middle of a bill load, start it again
// (it must recover its embedded PostgreSQL), and retry every request with its
// idempotency key: each bill exists exactly once and nothing is half-written.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/db/embedded.ts";
import { bookViolations } from "../../src/testing/books.ts";
import { signInHeaders } from "../../src/testing/fixtures.ts";
import { childPid, startStoreLite, startSupervised, type StoreLiteProcess } from "../../src/testing/process.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-crash-"));
fs.chmodSync(root, 0o755);
const runs: StoreLiteProcess[] = [];

afterAll(async () => {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill("SIGINT");
  await Promise.all(runs.map((r) => r.exited));
  fs.rmSync(root, { recursive: true, force: true });
});

describe.each([
  { how: "the API alone, started again by hand", supervised: false },
  { how: "npm start's supervisor, which restarts the API by itself", supervised: true },
])("crash safety: $how", ({ supervised }) => {
  it("loses nothing and duplicates nothing across kill -9 and restart", async () => {
    const env = {
      STORELITE_DATA_DIR: path.join(root, supervised ? "pg-supervised" : "pg"),
      STORELITE_PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
      STORELITE_SEED_DEMO: "false",
      STORELITE_OWNER_USERNAME: "owner",
      STORELITE_OWNER_PASSWORD: "crash-test-password",
    };
    const url = `http://127.0.0.1:${env.PORT}/graphql`;
    let auth: Record<string, string> | undefined;
    const gql = async (query: string, variables?: unknown) => {
      // The session lives in PostgreSQL, so it survives kill -9 and restart like the data.
      auth ??= await signInHeaders(`http://127.0.0.1:${env.PORT}`, env.STORELITE_OWNER_USERNAME, env.STORELITE_OWNER_PASSWORD);
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ query, variables }) });
      return ((await res.json()) as { data: any }).data;
    };
    const first = supervised ? startSupervised(env) : startStoreLite(env);
    runs.push(first);
    await first.ready;
    // What dies: the API process (under the supervisor, its child; the supervisor lives on).
    const api = supervised ? childPid(first.child.pid!, /dist\/api\.js/) : first.child.pid!;

    const ids: number[] = [];
    for (const name of ["Rice", "Lentils", "Oil"]) {
      const r = await gql(`mutation($i: CreateItemInput!) { createItem(input: $i) { ... on CreateItemSuccess { item { id } } } }`, {
        i: { name, unit: "kg", unitPrice: "123.45", stockQty: "100000" },
      });
      ids.push(r.createItem.item.id);
    }
    const requests = Array.from({ length: 120 }, (_, k) => ({
      idempotencyKey: `crash-${k}`,
      customerName: `Customer ${k}`,
      lines: [
        { itemId: ids[k % 3]!, quantity: "1.500" },
        { itemId: ids[(k + 1) % 3]!, quantity: "0.250" },
      ],
    }));
    const createBill = `mutation($input: CreateBillInput!) { createBill(input: $input) { __typename ... on CreateBillSuccess { replayed bill { id } } } }`;

    // 8 counters sell; once 20 bills are through, StoreLite is killed without warning.
    const confirmed = new Map<string, number>();
    let next = 0;
    const counter = async () => {
      while (next < requests.length) {
        const input = requests[next++]!;
        try {
          const r = await gql(createBill, { input });
          confirmed.set(input.idempotencyKey, r.createBill.bill.id);
          if (confirmed.size === 20) process.kill(api, "SIGKILL");
        } catch {
          return; // the server is gone
        }
      }
    };
    const killedAt = first.output().length;
    await Promise.all(Array.from({ length: 8 }, counter));
    expect(confirmed.size).toBeGreaterThanOrEqual(20);
    expect(confirmed.size).toBeLessThan(requests.length);

    if (supervised) {
      while (!first.output().slice(killedAt).includes("The API is running again")) {
        if (first.child.exitCode !== null) throw new Error(`the supervisor stopped:\n${first.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(first.output().slice(killedAt)).toContain("left running");
    } else {
      await first.exited;
      const second = startStoreLite(env);
      runs.push(second);
      expect(await second.ready).toContain("left running");
    }

    // Every counter retries everything it sent or meant to send, with the same keys.
    const results = await Promise.all(requests.map((input) => gql(createBill, { input })));
    for (const [k, r] of results.entries()) {
      expect(r.createBill.__typename).toBe("CreateBillSuccess");
      const key = requests[k]!.idempotencyKey;
      if (confirmed.has(key)) {
        expect(r.createBill.replayed).toBe(true);
        expect(r.createBill.bill.id).toBe(confirmed.get(key));
      }
    }

    const db = new pg.Pool({ connectionString: `postgresql://storelite:${encodeURIComponent(fs.readFileSync(path.join(env.STORELITE_DATA_DIR, "storelite-password"), "utf8").trim())}@127.0.0.1:${env.STORELITE_PG_PORT}/storelite` });
    try {
      const bills = await db.query<{ key: string; n: string }>(`SELECT idempotency_key AS key, count(*) AS n FROM bills GROUP BY 1`);
      expect(bills.rows).toHaveLength(requests.length);
      expect(bills.rows.every((b) => b.n === "1")).toBe(true);
      expect(await bookViolations(db)).toEqual([]);
      const stock = await db.query<{ stock_qty: string }>(`SELECT stock_qty FROM items ORDER BY id`);
      // 120 bills: each item sold 40 × 1.5 + 40 × 0.25 = 70 kg.
      expect(stock.rows.map((r) => r.stock_qty)).toEqual(["99930.000", "99930.000", "99930.000"]);
    } finally {
      await db.end();
    }
  });
});
