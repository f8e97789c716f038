// Bills: the sale's types, queries and the createBill mutation.
import { createBill, getBill, listBills, previewBill } from "../../domain/bills.ts";
import { IdempotencyKeyReusedError } from "../../domain/errors.ts";
import type { BillItem } from "../../generated/prisma/client.ts";
import { builder } from "../builder.ts";
import { connectionType } from "../connection.ts";
import { orNull } from "../resolve.ts";
import "./items.ts";
import { BillPreviewRef, DiscountApprovalInput, DiscountInput, PRICING_ERRORS, PaymentInput, SALE_ERRORS } from "./sale.ts";
import { ReportPeriod } from "./reports.ts";
import { DRAWER_ERRORS } from "./drawer-errors.ts";

export const BillItemRef = builder.prismaObject("BillItem", {
  description: "One line of a bill, with the item's name, unit and price as they were at the sale.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    unitPrice: t.expose("unitPrice", { type: "Money" }),
    quantity: t.expose("quantity", { type: "Quantity" }),
    lineTotal: t.expose("lineTotal", { type: "Money" }),
    item: t.relation("item"),
  }),
});

export const BillRef = builder.prismaObject("Bill", {
  description: "A sale: who, where, when, its lines and totals.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    customerName: t.exposeString("customerName", { nullable: true }),
    storeName: t.exposeString("storeName", { nullable: true }),
    subtotal: t.expose("subtotal", { type: "Money" }),
    totalAmount: t.expose("totalAmount", { type: "Money" }),
    idempotencyKey: t.exposeString("idempotencyKey", { nullable: true }),
    cashierId: t.exposeInt("cashierId", { nullable: true, description: "The staff member who sold it; null on bills from before staff accounts." }),
    cashierName: t.exposeString("cashierName", { nullable: true, description: "The cashier's name as printed on the invoice." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    shiftId: t.exposeInt("shiftId", { nullable: true, description: "The shift whose drawer took the cash (null with shifts off)." }),
    lines: t.relation("lines", {
      query: { orderBy: { id: "asc" } },
      // Used only for a bill Pothos did not load itself (createBill's result): it
      // already holds its lines, so answer from them instead of querying twice more
      // (measured: halves createBill's API CPU, see bench/RESULTS.md).
      resolve: (query, bill, _args, ctx) =>
        (bill as { lines?: BillItem[] }).lines ?? ctx.db.prisma.billItem.findMany({ ...query, where: { billId: bill.id } }),
    }),
  }),
});

const BillConnection = connectionType("Bill", BillRef);

builder.queryFields((t) => ({
  bills: t.field({
    type: BillConnection,
    description: "Bills newest first. from/to take a date (whole days, shop time) or a date-time.",
    args: {
      from: t.arg.string({ required: false }),
      to: t.arg.string({ required: false }),
      period: t.arg({ type: ReportPeriod, required: false, description: "A preset range on the shop's calendar (e.g. YESTERDAY), instead of from/to." }),
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_, args, ctx) => listBills(ctx, args),
  }),
  bill: t.field({
    type: BillRef,
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => orNull(getBill(ctx, args.id)),
  }),
}));

const BillLineInput = builder.inputType("BillLineInput", {
  fields: (t) => ({
    itemId: t.int({ required: true }),
    quantity: t.field({ type: "Quantity", required: true, description: "Fractional for kg/liter, e.g. 1.5" }),
    discount: t.field({ type: DiscountInput, required: false, description: "A discount on this line (percent or amount)." }),
  }),
});

const CreateBillInput = builder.inputType("CreateBillInput", {
  fields: (t) => ({
    customerName: t.string({ required: false }),
    storeName: t.string({ required: false }),
    lines: t.field({ type: [BillLineInput], required: true }),
    idempotencyKey: t.string({
      required: false,
      description: "Send the same key when retrying: the same request returns the original bill, never a second one.",
    }),
    billDiscount: t.field({ type: DiscountInput, required: false, description: "A discount on the whole bill, shared over the lines in proportion to their amounts." }),
    payments: t.field({
      type: [PaymentInput],
      required: false,
      description: "How the bill is paid, in order; they must cover it exactly (only cash may exceed: change). None: cash paid exactly.",
    }),
    approval: t.field({ type: DiscountApprovalInput, required: false, description: "A manager's approval for a discount above your limit." }),
    expectedTotal: t.field({
      type: "Money",
      required: false,
      description: "The total the client showed: if the server's total differs, nothing is sold and TotalChangedError says the new one.",
    }),
    register: t.string({
      required: false,
      description: "With shifts on: the register whose open shift takes the cash (may be left out when only one shift is open).",
    }),
  }),
});

const CreateBillPayload = builder.objectRef<{ bill: Awaited<ReturnType<typeof getBill>>; replayed: boolean }>("CreateBillSuccess").implement({
  fields: (t) => ({
    bill: t.field({ type: BillRef, resolve: (r) => r.bill }),
    replayed: t.exposeBoolean("replayed", { description: "True when this is the bill created earlier with the same idempotency key." }),
  }),
});

builder.queryFields((t) => ({
  previewBill: t.field({
    type: BillPreviewRef,
    description: "Prices a cart exactly as createBill would (discounts, tax, payments, change) and writes nothing.",
    errors: { types: PRICING_ERRORS, union: { name: "PreviewBillResult" }, result: { name: "PreviewBillSuccess" }, dataField: { name: "preview" } },
    args: { input: t.arg({ type: CreateBillInput, required: true }) },
    resolve: (_, { input }, ctx) => previewBill(ctx, input),
  }),
}));

builder.mutationFields((t) => ({
  createBill: t.field({
    type: CreateBillPayload,
    description: "Sell: checks and decrements stock, prices the cart (discounts, tax), takes the payments, saves the bill with its lines — all at once or not at all.",
    errors: {
      types: [...SALE_ERRORS, IdempotencyKeyReusedError, ...DRAWER_ERRORS],
      union: { name: "CreateBillResult" },
      directResult: true,
    },
    args: { input: t.arg({ type: CreateBillInput, required: true }) },
    resolve: (_, { input }, ctx) => createBill(ctx, input),
  }),
}));
