// Bill listings by date are on the shop's calendar, not the server's: a shop
// 14 hours ahead of UTC (Pacific/Kiritimati, set on the stores row) and one 11
// hours behind (STORELITE_TIME_ZONE), bills a second either side of local
// midnight, over GraphQL, REST and a cashier's "today".
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer(8);
const ids: Record<string, number> = {};
let itemId = 0;

// Local 2026-11-25 in Kiritimati (UTC+14) is [2026-11-24T10:00Z, 2026-11-25T10:00Z).
const AT = {
  beforeDay: "2026-11-24T09:59:59Z",
  dayStart: "2026-11-24T10:00:00Z",
  dayEnd: "2026-11-25T09:59:59Z",
  nextDay: "2026-11-25T10:00:00Z",
};

async function sell(as = t.owner) {
  const res = await as.graphql(`mutation($input: CreateBillInput!) { createBill(input: $input) { __typename ... on CreateBillSuccess { bill { id } } } }`, {
    input: { lines: [{ itemId, quantity: "1" }] },
  });
  return res.data.createBill.bill.id as number;
}
const placeAt = (id: number, at: string | Date) => t.db.pool.query("UPDATE bills SET created_at = $2 WHERE id = $1", [id, at]);

beforeAll(async () => {
  await t.db.pool.query("UPDATE stores SET time_zone = 'Pacific/Kiritimati'");
  const item = await t.graphql(`mutation { createItem(input: {name: "Tea", unitPrice: "100", stockQty: "100"}) { ... on CreateItemSuccess { item { id } } } }`);
  itemId = item.data.createItem.item.id;
  for (const [name, at] of Object.entries(AT)) {
    ids[name] = await sell();
    await placeAt(ids[name]!, at);
  }
});
afterEach(() => {
  delete process.env.STORELITE_TIME_ZONE;
});

const listed = async (args: string) => {
  const res = await t.graphql(`{ bills(${args}, first: 100) { nodes { id } } }`);
  expect(res.errors).toBeUndefined();
  return (res.data.bills.nodes as { id: number }[]).map((b) => b.id).filter((id) => Object.values(ids).includes(id));
};

describe("bills by date in the shop's time zone", () => {
  it("GraphQL: a date is the shop's whole day; a date-time without offset is shop time", async () => {
    expect(await listed(`from: "2026-11-25", to: "2026-11-25"`)).toEqual([ids.dayEnd, ids.dayStart]);
    expect(await listed(`to: "2026-11-24"`)).toEqual([ids.beforeDay]);
    expect(await listed(`from: "2026-11-26"`)).toEqual([ids.nextDay]);
    expect(await listed(`from: "2026-11-25T00:00", to: "2026-11-26T00:00"`)).toEqual([ids.dayEnd, ids.dayStart]);
    expect(await listed(`from: "2026-11-25T00:00", to: "2026-11-25T23:59:59"`)).toEqual([ids.dayStart]); // a date-time "to" is exclusive
    // With an offset it is that instant, wherever the shop is.
    expect(await listed(`from: "2026-11-25T00:00:00Z"`)).toEqual([ids.nextDay, ids.dayEnd]);
  });

  it("REST: GET /bills?from&to reads the same days", async () => {
    const res = await t.fetch("/bills?from=2026-11-25&to=2026-11-25&limit=100");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: number }[];
    expect(body.map((b) => b.id).filter((id) => Object.values(ids).includes(id))).toEqual([ids.dayEnd, ids.dayStart]);
  });

  it("STORELITE_TIME_ZONE overrides the stored zone (a shop 11 hours behind UTC)", async () => {
    process.env.STORELITE_TIME_ZONE = "Pacific/Pago_Pago";
    // Local 2026-11-24 in Pago Pago is [2026-11-24T11:00Z, 2026-11-25T11:00Z).
    expect(await listed(`from: "2026-11-24", to: "2026-11-24"`)).toEqual([ids.nextDay, ids.dayEnd]);
  });

  it("a cashier's today starts at the shop's midnight", async () => {
    const cashier = await t.as("CASHIER");
    const { rows } = await t.db.pool.query<{ midnight: Date }>("SELECT date_trunc('day', now() AT TIME ZONE 'Pacific/Kiritimati') AT TIME ZONE 'Pacific/Kiritimati' AS midnight");
    const midnight = rows[0]!.midnight.getTime();
    // One side of the shop's midnight or the other is also the other side of the server's (UTC) midnight, whatever the hour.
    const yesterday = await sell(cashier);
    const today = await sell(cashier);
    await placeAt(yesterday, new Date(midnight - 1000));
    await placeAt(today, new Date(midnight + 1000));
    const res = await cashier.graphql(`{ bills(first: 100) { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.bills.nodes.map((b: { id: number }) => b.id)).toEqual([today]);
    const older = await cashier.graphql(`query($id: Int!) { bill(id: $id) { id } }`, { id: yesterday });
    expect(older.data?.bill ?? null).toBeNull();
  });
});
