// The cash drawer over GraphQL as a cashier would use it: typed refusals
// (union members) for every mistake, and a close that answers its Z report.
import { describe, expect, it } from "vitest";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer(10);

const OPEN = `mutation($input: OpenShiftInput!) { openShift(input: $input) { __typename ... on OpenShiftSuccess { replayed shift { id register status openingFloat } }
  ... on ShiftAlreadyOpenError { shiftId register } ... on ValidationError { fieldErrors { path code } } ... on Error { message } } }`;
const MOVE = `mutation($input: CashMovementInput!) { recordCashMovement(input: $input) { __typename ... on RecordCashMovementSuccess { movement { kind amount reason actorName } }
  ... on ValidationError { fieldErrors { path code } } ... on ShiftNotOpenError { register } ... on DrawerCashShortError { requested available message } } }`;
const CLOSE = `mutation($input: CloseShiftInput!) { closeShift(input: $input) { __typename ... on CloseShiftSuccess { replayed shift { status variance zNumber }
  zReport { number differences figures { bills { count total } cash { expected counted variance } payments { method sales } people { name bills sales } } } }
  ... on ShiftClosedError { shiftId zNumber } ... on Error { message } } }`;
const SELL = `mutation($input: CreateBillInput!) { createBill(input: $input) { __typename ... on CreateBillSuccess { bill { id shiftId totalAmount } }
  ... on ShiftNotOpenError { register message } ... on RegisterRequiredError { openRegisters } } }`;
const X = `query($r: String) { currentShift(register: $r) { __typename ... on CurrentShiftSuccess { current { shiftsEnabled report { shift { id } figures { cash { expected } } movements { reason } } } }
  ... on RegisterRequiredError { openRegisters } } }`;

describe("shifts over GraphQL", () => {
  it("a cashier opens a shift, sells, pays out, reads the X report and closes; every mistake is a typed error", async () => {
    const cashier = await t.as("CASHIER");
    const item = (await t.graphql(`mutation { createItem(input: { name: "GQL Tea", unitPrice: "40.00", stockQty: "50" }) { ... on CreateItemSuccess { item { id } } } }`)).data.createItem.item.id;
    const sale = (register?: string) => ({ input: { lines: [{ itemId: item, quantity: "1" }], payments: [{ method: "CASH", amount: "50" }], ...(register ? { register } : {}) } });

    expect((await cashier.graphql(OPEN, { input: { register: "Till A", openingFloat: "100" } })).data.openShift.__typename).toBe("ShiftsDisabledError");
    const settings = await t.graphql(`mutation { updateShopSettings(input: { shiftsEnabled: true }) { __typename ... on UpdateShopSettingsSuccess { settings { shiftsEnabled } } } }`);
    expect(settings.data.updateShopSettings.settings.shiftsEnabled).toBe(true);
    expect((await cashier.graphql(`mutation { updateShopSettings(input: { shiftsEnabled: false }) { __typename } }`)).data.updateShopSettings.__typename).toBe("NotAuthorizedError");

    expect((await cashier.graphql(SELL, sale("Till A"))).data.createBill).toMatchObject({ __typename: "ShiftNotOpenError", register: "Till A" });
    const bad = await cashier.graphql(OPEN, { input: { register: "", openingFloat: "-1" } });
    expect(bad.data.openShift.fieldErrors.map((e: { path: string[] }) => e.path.join("."))).toEqual(["register", "openingFloat"]);
    const opened = (await cashier.graphql(OPEN, { input: { register: "Till A", openingFloat: "100", idempotencyKey: "gql-open" } })).data.openShift;
    expect(opened).toMatchObject({ __typename: "OpenShiftSuccess", replayed: false, shift: { register: "Till A", status: "OPEN", openingFloat: "100.00" } });
    expect((await cashier.graphql(OPEN, { input: { register: "till a", openingFloat: "5" } })).data.openShift).toMatchObject({ __typename: "ShiftAlreadyOpenError", shiftId: opened.shift.id });

    const sold = (await cashier.graphql(SELL, sale())).data.createBill;
    expect(sold).toMatchObject({ __typename: "CreateBillSuccess", bill: { shiftId: opened.shift.id, totalAmount: "40.00" } });
    const noReason = (await cashier.graphql(MOVE, { input: { kind: "PAID_OUT", amount: "3", reason: "  " } })).data.recordCashMovement;
    expect(noReason.fieldErrors).toEqual([{ path: ["reason"], code: "REQUIRED" }]);
    expect((await cashier.graphql(MOVE, { input: { kind: "PAID_OUT", amount: "3", reason: "x", register: "Till B" } })).data.recordCashMovement.__typename).toBe("ShiftNotOpenError");
    // 100 float + 40 cash sale: 140 in the drawer, no more can go out.
    expect((await cashier.graphql(MOVE, { input: { kind: "PAID_OUT", amount: "140.01", reason: "supplier" } })).data.recordCashMovement).toEqual({
      __typename: "DrawerCashShortError",
      requested: "140.01",
      available: "140.00",
      message: "The drawer holds 140.00 in cash: a pay-out of 140.01 cannot come out of it",
    });
    const moved = (await cashier.graphql(MOVE, { input: { kind: "PAID_OUT", amount: "3.50", reason: "stamps" } })).data.recordCashMovement;
    expect(moved.movement).toMatchObject({ kind: "PAID_OUT", amount: "3.50", reason: "stamps", actorName: cashier.staff!.displayName });

    const x = (await cashier.graphql(X, {})).data.currentShift.current;
    expect(x).toMatchObject({ shiftsEnabled: true, report: { shift: { id: opened.shift.id }, figures: { cash: { expected: "136.50" } }, movements: [{ reason: "stamps" }] } });
    // A second register open: a sale or a report must name its register.
    const tillB = (await t.graphql(OPEN, { input: { register: "Till B", openingFloat: "0" } })).data.openShift.shift.id;
    expect((await cashier.graphql(SELL, sale())).data.createBill).toEqual({ __typename: "RegisterRequiredError", openRegisters: ["Till A", "Till B"] });
    expect((await cashier.graphql(X, {})).data.currentShift.__typename).toBe("RegisterRequiredError");

    const closed = (await cashier.graphql(CLOSE, { input: { shiftId: opened.shift.id, countedCash: "135.00", note: "a coin short", idempotencyKey: "gql-close" } })).data.closeShift;
    expect(closed).toMatchObject({
      __typename: "CloseShiftSuccess",
      replayed: false,
      shift: { status: "CLOSED", variance: "-1.50" },
      zReport: { differences: [], figures: { bills: { count: 1, total: "40.00" }, cash: { expected: "136.50", counted: "135.00", variance: "-1.50" }, payments: [{ method: "CASH", sales: "40.00" }] } },
    });
    expect(closed.zReport.figures.people).toEqual([{ name: cashier.staff!.displayName, bills: 1, sales: "40.00" }]);
    expect((await cashier.graphql(CLOSE, { input: { shiftId: opened.shift.id, countedCash: "135.00" } })).data.closeShift).toMatchObject({ __typename: "ShiftClosedError", shiftId: opened.shift.id, zNumber: closed.zReport.number });
    expect((await cashier.graphql(CLOSE, { input: { shiftId: opened.shift.id, countedCash: "135.00", note: "a coin short", idempotencyKey: "gql-close" } })).data.closeShift.replayed).toBe(true);
    expect((await cashier.graphql(CLOSE, { input: { shiftId: 999999, countedCash: "1" } })).data.closeShift.__typename).toBe("NotFoundError");

    const z = await cashier.graphql(`query($n: Int!) { zReport(number: $n) { __typename ... on ZReportSuccess { zReport { number shiftId differences } } } zReports(first: 5) { ... on ZReportsSuccess { zReports { nodes { number register variance } } } } }`, { n: closed.zReport.number });
    expect(z.data.zReport.zReport).toEqual({ number: closed.zReport.number, shiftId: opened.shift.id, differences: [] });
    expect(z.data.zReports.zReports.nodes[0]).toEqual({ number: closed.zReport.number, register: "Till A", variance: "-1.50" });
    await t.graphql(CLOSE, { input: { shiftId: tillB, countedCash: "0" } });
  });
});
