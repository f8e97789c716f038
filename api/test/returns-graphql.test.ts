// Returns and voids over GraphQL (real HTTP, real PostgreSQL): refundPreview =
// createReturn to the cent, what the bill shows afterwards, billReturn(id),
// and every refusal as a typed union member with nothing changed.
import { describe, expect, it } from "vitest";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { TEST_PIN, useTestServer } from "../src/testing/fixtures.ts";

const api = useTestServer(10);

const ERRORS = `__typename ... on Error { message code } ... on ValidationError { fieldErrors { path code } }`;
const RETURN_ERRORS = `${ERRORS} ... on ReturnQuantityExceededError { billItemId left lines { billItemId sold alreadyReturned left } } ... on UnknownBillLineError { billItemId }`;
const RETURN = `id billId reason refundTotal taxTotal discountTotal actorName approvedByName lines { billItemId itemName quantity restock refundAmount taxAmount discountAmount } payments { method amount }`;
const PREVIEW = `query($input: CreateReturnInput!) { refundPreview(input: $input) { ${RETURN_ERRORS} ... on RefundPreviewSuccess { preview { refundTotal taxTotal discountTotal rounding approvalRequired payments { method amount } lines { billItemId refundAmount } } } } }`;
const CREATE = `mutation($input: CreateReturnInput!) { createReturn(input: $input) { ${RETURN_ERRORS} ... on ApprovalRequiredError { permission } ... on CreateReturnSuccess { replayed billReturn { ${RETURN} } } } }`;
const VOID = `mutation($input: VoidBillInput!) { voidBill(input: $input) { ${ERRORS} ... on ApprovalRequiredError { permission } ... on BillHasReturnsError { refundedTotal } ... on VoidBillSuccess { bill { id voidedAt voidReason voidedBy } } } }`;

async function gql(query: string, variables?: Record<string, unknown>, who = api as Pick<typeof api, "graphql">) {
  const res = await who.graphql(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function sale() {
  const add = async (input: Record<string, unknown>) =>
    (await gql(`mutation($input: CreateItemInput!) { createItem(input: $input) { ... on CreateItemSuccess { item { id } } } }`, { input })).createItem.item.id as number;
  const rate = (await gql(`mutation { createTaxRate(input: { name: "GST ${Math.random()}", percent: "17" }) { ... on CreateTaxRateSuccess { taxRate { id } } } }`)).createTaxRate.taxRate;
  const sugar = await add({ name: "Sugar", unit: "kg", unitPrice: "160", stockQty: "20" });
  const soap = await add({ name: "Soap", unitPrice: "45.50", stockQty: "20" });
  await gql(`mutation { setItemTaxRate(itemId: ${sugar}, taxRateId: ${rate.id}) { __typename } }`);
  const input = {
    lines: [
      { itemId: sugar, quantity: "2", discount: { kind: "PERCENT", value: "10" } },
      { itemId: soap, quantity: "3" },
    ],
    billDiscount: { kind: "AMOUNT", value: "20" },
    payments: [{ method: "CARD", amount: "300.00" }, { method: "CASH", amount: "200" }],
  };
  const bill = (await gql(`mutation($input: CreateBillInput!) { createBill(input: $input) { ... on CreateBillSuccess { bill { id totalAmount lines { id itemName chargedTotal } } } } }`, { input })).createBill.bill;
  return { bill, sugarLine: bill.lines[0], soapLine: bill.lines[1] };
}

describe("returns over GraphQL", () => {
  it("previews and makes a return to the cent; the bill shows it; billReturn reads it back", async () => {
    const { bill, sugarLine, soapLine } = await sale();
    expect(bill.totalAmount).toBe("451.15");
    const input = { billId: bill.id, reason: "changed mind", lines: [{ billItemId: sugarLine.id, quantity: "1" }, { billItemId: soapLine.id, quantity: "3", restock: false }] };
    const preview = (await gql(PREVIEW, { input })).refundPreview.preview;
    expect(preview).toMatchObject({ refundTotal: "290.61", approvalRequired: false, payments: [{ method: "CARD", amount: "290.61" }] });
    const made = (await gql(CREATE, { input: { ...input, idempotencyKey: "gql-return-1" } })).createReturn;
    expect(made).toMatchObject({ __typename: "CreateReturnSuccess", replayed: false, billReturn: { refundTotal: preview.refundTotal, taxTotal: preview.taxTotal, actorName: "Test Owner" } });
    expect(made.billReturn.lines).toEqual([
      { billItemId: sugarLine.id, itemName: "Sugar", quantity: "1.000", restock: true, refundAmount: "160.54", taxAmount: "23.33", discountAmount: "22.79" },
      { billItemId: soapLine.id, itemName: "Soap", quantity: "3.000", restock: false, refundAmount: "130.07", taxAmount: "0.00", discountAmount: "6.43" },
    ]);
    const replay = (await gql(CREATE, { input: { ...input, idempotencyKey: "gql-return-1" } })).createReturn;
    expect([replay.replayed, replay.billReturn.id]).toEqual([true, made.billReturn.id]);

    const shown = (await gql(`{ bill(id: ${bill.id}) { refundedTotal voidedAt lines { returnedQty refundedTotal } returns { id refundTotal } } }`)).bill;
    expect(shown).toEqual({
      refundedTotal: "290.61",
      voidedAt: null,
      lines: [{ returnedQty: "1.000", refundedTotal: "160.54" }, { returnedQty: "3.000", refundedTotal: "130.07" }],
      returns: [{ id: made.billReturn.id, refundTotal: "290.61" }],
    });
    expect((await gql(`{ billReturn(id: ${made.billReturn.id}) { ${RETURN} } }`)).billReturn).toEqual(made.billReturn);
    expect((await gql(`{ billReturn(id: 999999) { id } }`)).billReturn).toBeNull();

    // The last kilo takes the leftover cents: the sugar line refunds exactly what it charged.
    const rest = (await gql(CREATE, { input: { billId: bill.id, reason: "rest", lines: [{ billItemId: sugarLine.id, quantity: "1" }] } })).createReturn;
    expect(rest.billReturn.refundTotal).toBe("160.54");
    expect((await gql(`{ bill(id: ${bill.id}) { refundedTotal } }`)).bill.refundedTotal).toBe(bill.totalAmount);
  });

  it("refusals are typed results and change nothing", async () => {
    const { bill, sugarLine } = await sale();
    const cashier = await api.as("CASHIER");
    const manager = await api.as("MANAGER");
    const before = await databaseChecksum(api.db.pool);
    const one = { billId: bill.id, reason: "r", lines: [{ billItemId: sugarLine.id, quantity: "1" }] };
    const over = (await gql(CREATE, { input: { ...one, lines: [{ billItemId: sugarLine.id, quantity: "3" }] } })).createReturn;
    expect(over).toMatchObject({ __typename: "ReturnQuantityExceededError", code: "RETURN_QUANTITY_EXCEEDED", billItemId: sugarLine.id, left: "2.000" });
    expect((await gql(CREATE, { input: { ...one, lines: [{ billItemId: 999999, quantity: "1" }] } })).createReturn).toMatchObject({ __typename: "UnknownBillLineError", billItemId: 999999 });
    expect((await gql(CREATE, { input: { ...one, reason: " " } })).createReturn).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: ["reason"], code: "REQUIRED" }] });
    expect((await gql(CREATE, { input: { ...one, billId: 999999 } })).createReturn).toMatchObject({ __typename: "NotFoundError" });
    // A cashier may preview (it says approval is needed) but not return alone.
    expect((await gql(PREVIEW, { input: one }, cashier)).refundPreview.preview.approvalRequired).toBe(true);
    expect((await gql(CREATE, { input: one }, cashier)).createReturn).toMatchObject({ __typename: "ApprovalRequiredError", permission: "REFUND" });
    expect((await gql(VOID, { input: { billId: bill.id, reason: "x" } }, cashier)).voidBill).toMatchObject({ __typename: "ApprovalRequiredError", permission: "VOID_BILL" });
    expect((await gql(VOID, { input: { billId: 999999, reason: "x" } })).voidBill).toMatchObject({ __typename: "NotFoundError" });
    // Failed PIN attempts are counted on the staff row by design; nothing else changed.
    expect(await databaseChecksum(api.db.pool)).toBe(before);

    const approved = (await gql(CREATE, { input: { ...one, approval: { username: manager.staff!.username, pin: TEST_PIN } } }, cashier)).createReturn;
    expect(approved.billReturn).toMatchObject({ approvedByName: manager.staff!.displayName, actorName: cashier.staff!.displayName });
    expect((await gql(VOID, { input: { billId: bill.id, reason: "x" } })).voidBill).toMatchObject({ __typename: "BillHasReturnsError", refundedTotal: "160.54" });

    const other = await sale();
    const voided = (await gql(VOID, { input: { billId: other.bill.id, reason: "wrong customer" } }, manager)).voidBill;
    expect(voided).toMatchObject({ __typename: "VoidBillSuccess", bill: { id: other.bill.id, voidReason: "wrong customer", voidedBy: manager.staff!.displayName } });
    expect((await gql(VOID, { input: { billId: other.bill.id, reason: "again" } })).voidBill).toMatchObject({ __typename: "BillVoidedError", code: "BILL_VOIDED" });
    expect((await gql(CREATE, { input: { billId: other.bill.id, reason: "r", lines: [{ billItemId: other.sugarLine.id, quantity: "1" }] } })).createReturn).toMatchObject({ __typename: "BillVoidedError" });
  });
});
