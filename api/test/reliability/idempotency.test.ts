// Reliability: the same idempotency key sent 20 times at once makes one bill;
// the same key with a different body is refused.
import { describe, expect, it } from "vitest";
import { bookViolations } from "../../src/testing/books.ts";
import { useTestServer } from "../../src/testing/fixtures.ts";

const api = useTestServer(30);
const CREATE = `mutation($input: CreateBillInput!) { createBill(input: $input) {
  __typename ... on CreateBillSuccess { replayed bill { id totalAmount } } ... on IdempotencyKeyReusedError { billId code } } }`;

describe("idempotency race", () => {
  it("20 concurrent requests with one key create exactly one bill", async () => {
    const made = await api.graphql(`mutation { createItem(input: { name: "Ghee", unit: "kg", unitPrice: "1450.50", stockQty: "50" }) { ... on CreateItemSuccess { item { id } } } }`);
    const itemId = made.data.createItem.item.id;
    const input = { idempotencyKey: "till-3:2026-11-25:0042", customerName: "Ali", lines: [{ itemId, quantity: "2.5" }] };

    const answers = await Promise.all(Array.from({ length: 20 }, () => api.graphql(CREATE, { input })));
    const bills = answers.map((a) => a.data.createBill);
    expect(new Set(bills.map((b) => b.bill.id)).size).toBe(1);
    expect(bills.filter((b) => !b.replayed)).toHaveLength(1);
    expect(bills.every((b) => b.bill.totalAmount === "3626.25")).toBe(true);

    const different = await api.graphql(CREATE, { input: { ...input, lines: [{ itemId, quantity: "3" }] } });
    expect(different.data.createBill).toEqual({ __typename: "IdempotencyKeyReusedError", billId: bills[0].bill.id, code: "IDEMPOTENCY_KEY_REUSED" });

    const { rows } = await api.db.pool.query<{ n: string; stock: string }>(`SELECT (SELECT count(*) FROM bills) AS n, (SELECT stock_qty FROM items WHERE id = $1) AS stock`, [itemId]);
    expect(rows[0]).toEqual({ n: "1", stock: "47.500" });
    expect(await bookViolations(api.db.pool)).toEqual([]);
  });

  it("a discounted sale paid two ways: 20 at once make one bill with one set of payments; other payments under the key are refused", async () => {
    const made = await api.graphql(`mutation { createItem(input: { name: "Oil", unit: "liter", unitPrice: "500", stockQty: "50" }) { ... on CreateItemSuccess { item { id } } } }`);
    const itemId = made.data.createItem.item.id;
    const input = {
      idempotencyKey: "till-3:2026-11-25:0043",
      lines: [{ itemId, quantity: "2", discount: { kind: "PERCENT", value: "10" } }],
      billDiscount: { kind: "AMOUNT", value: "50" },
      payments: [{ method: "CARD", amount: "500" }, { method: "CASH", amount: "500" }],
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.graphql(CREATE, { input })));
    const bills = answers.map((a) => a.data.createBill);
    expect(new Set(bills.map((b) => b.bill.id)).size).toBe(1);
    expect(bills.filter((b) => !b.replayed)).toHaveLength(1);
    expect(bills.every((b) => b.bill.totalAmount === "850.00")).toBe(true);
    for (const changed of [{ payments: [{ method: "CASH", amount: "1000" }] }, { billDiscount: { kind: "AMOUNT", value: "40" } }, { lines: [{ itemId, quantity: "2" }] }]) {
      const other = await api.graphql(CREATE, { input: { ...input, ...changed } });
      expect(other.data.createBill.__typename).toBe("IdempotencyKeyReusedError");
    }
    const { rows } = await api.db.pool.query<{ n: string; change: string }>(
      "SELECT count(*) AS n, sum(change) AS change FROM bill_payments WHERE bill_id = $1",
      [bills[0].bill.id],
    );
    expect(rows[0]).toEqual({ n: "2", change: "150.00" });
    expect(await bookViolations(api.db.pool)).toEqual([]);
  });
});
