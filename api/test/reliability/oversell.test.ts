// Reliability: 64 clients buy the same few items over HTTP until stock runs
// out. Nothing is oversold and the books are exact to the gram.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/money.ts";
import { bookViolations, soldPerItem } from "../../src/testing/books.ts";
import { useTestServer } from "../../src/testing/fixtures.ts";

const api = useTestServer(40);

type Outcome = { ok: true; billId: number } | { ok: false; available?: string; code: string };
type Line = { itemId: number; quantity: string };

// The same sale through either front door: both must hold the line.
const doors: Record<string, (lines: Line[]) => Promise<Outcome>> = {
  GraphQL: async (lines) => {
    const res = await api.graphql(
      `mutation($input: CreateBillInput!) { createBill(input: $input) {
         __typename ... on CreateBillSuccess { bill { id } } ... on Error { code }
         ... on InsufficientStockError { itemId available } } }`,
      { input: { lines } },
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const r = res.data.createBill;
    return r.__typename === "CreateBillSuccess" ? { ok: true, billId: r.bill.id } : { ok: false, code: r.code, available: r.available };
  },
  REST: async (lines) => {
    const res = await api.fetch(`/bills`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: lines.map((l) => ({ item_id: l.itemId, quantity: l.quantity })) }),
    });
    const body = (await res.json()) as { id?: number; error?: { code: string; available?: string } };
    if (res.status === 201) return { ok: true, billId: body.id! };
    if (res.status !== 409) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    return { ok: false, code: body.error!.code, available: body.error!.available };
  },
};

describe("no oversell under 64 concurrent clients", () => {
  it.each(Object.keys(doors))("sells each item down to exactly zero with exact books (%s)", async (door) => {
    const buy = doors[door]!;
    const opening = ["40.000", "27.500", "18.250"];
    const ids: number[] = [];
    for (const [i, stockQty] of opening.entries()) {
      const res = await api.graphql(`mutation($i: CreateItemInput!) { createItem(input: $i) { ... on CreateItemSuccess { item { id } } } }`, {
        i: { name: `Hot item ${door} ${i}`, unit: "kg", unitPrice: "19.99", stockQty },
      });
      ids.push(res.data.createItem.item.id);
    }

    let bills = 0;
    let refusals = 0;
    const client = async (seed: number) => {
      const exhausted = new Set<number>();
      let n = seed;
      for (let round = 0; round < 400 && exhausted.size < ids.length; round++) {
        n = (n * 1103515245 + 12345) % 2147483648; // small deterministic PRNG per client
        const live = ids.filter((id) => !exhausted.has(id));
        const a = live[n % live.length]!;
        const qty = ["0.250", "0.500", "1.000", "1.250"][n % 4]!;
        // Every third purchase is a two-line bill in a random order, to exercise lock ordering.
        const b = live.length > 1 && round % 3 === 0 ? live[(n >> 3) % live.length] : undefined;
        const lines = b && b !== a ? (n % 2 ? [{ itemId: a, quantity: qty }, { itemId: b, quantity: "0.250" }] : [{ itemId: b, quantity: "0.250" }, { itemId: a, quantity: qty }]) : [{ itemId: a, quantity: qty }];
        const out = await buy(lines);
        if (out.ok) {
          bills++;
          continue;
        }
        refusals++;
        expect(out.code).toBe("INSUFFICIENT_STOCK");
        // Buy exactly what is left of a single item, or give it up when empty.
        if (lines.length === 1) {
          if (new Decimal(out.available!).isZero()) exhausted.add(a);
          else if ((await buy([{ itemId: a, quantity: out.available! }])).ok) bills++;
        }
      }
    };
    await Promise.all(Array.from({ length: 64 }, (_, i) => client(i + 1)));

    const stock = await api.db.pool.query<{ id: number; stock_qty: string }>(`SELECT id, stock_qty FROM items WHERE id = ANY($1) ORDER BY id`, [ids]);
    expect(stock.rows.map((r) => r.stock_qty)).toEqual(["0.000", "0.000", "0.000"]);
    const sold = await soldPerItem(api.db.pool);
    expect(ids.map((id) => new Decimal(sold.get(id) ?? 0).toFixed(3))).toEqual(opening);
    expect(await bookViolations(api.db.pool)).toEqual([]);
    const counted = await api.db.pool.query<{ n: string }>(`SELECT count(DISTINCT bill_id) AS n FROM bill_items WHERE item_id = ANY($1)`, [ids]);
    expect(Number(counted.rows[0]!.n)).toBe(bills);
    expect(refusals).toBeGreaterThan(0);
  });
});
