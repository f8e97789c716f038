// Returns and voids in GraphQL: the return document and its slip's fields,
// refundPreview (same input as createReturn, nothing written), createReturn,
// voidBill, billReturn(id), and what a bill shows of them (returns, refunded
// total, VOID). Thin: every rule is in domain/returns.ts and domain/voids.ts.
import { ApprovalRequiredError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import type { ShopHeader } from "../../domain/settings.ts";
import {
  BillHasReturnsError,
  BillVoidedError,
  RefundPaymentsMismatchError,
  ReturnKeyReusedError,
  ReturnQuantityExceededError,
  UnknownBillLineError,
  billReturns,
  createReturn,
  getReturn,
  refundPreview,
  type RefundPayment,
  type RefundPreview,
  type ReturnDraftLine,
  type ReturnExcess,
  type ReturnWithLines,
} from "../../domain/returns.ts";
import { VoidWindowClosedError, voidBill } from "../../domain/voids.ts";
import { builder } from "../builder.ts";
import { orNull } from "../resolve.ts";
import { BillRef } from "./bills.ts";
import { DRAWER_ERRORS } from "./drawer-errors.ts";
import { ErrorInterface } from "./errors.ts";
import { PaymentInput, PaymentMethodEnum } from "./sale.ts";

// ---- refusals -------------------------------------------------------------

builder.objectType(BillVoidedError, {
  name: "BillVoidedError",
  description: "The bill was voided: nothing on it can be returned, and it cannot be voided again. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ billId: t.exposeInt("billId"), voidedAt: t.field({ type: "DateTime", resolve: (e) => e.voidedAt }) }),
});

builder.objectType(BillHasReturnsError, {
  name: "BillHasReturnsError",
  description: "The bill has returns, so it cannot be voided (return the rest instead). Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ billId: t.exposeInt("billId"), refundedTotal: t.field({ type: "Money", resolve: (e) => e.refundedTotal }) }),
});

builder.objectType(UnknownBillLineError, {
  name: "UnknownBillLineError",
  description: "A billItemId that is not a line of this bill. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ billId: t.exposeInt("billId"), billItemId: t.exposeInt("billItemId") }),
});

const ReturnExcessRef = builder.objectRef<ReturnExcess>("ReturnExcess").implement({
  description: "A line asked back beyond what is left of it.",
  fields: (t) => ({
    billItemId: t.exposeInt("billItemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    requested: t.field({ type: "Quantity", resolve: (l) => l.requested }),
    sold: t.field({ type: "Quantity", resolve: (l) => l.sold }),
    alreadyReturned: t.field({ type: "Quantity", resolve: (l) => l.alreadyReturned }),
    left: t.field({ type: "Quantity", description: "What can still be returned.", resolve: (l) => l.left }),
  }),
});

builder.objectType(ReturnQuantityExceededError, {
  name: "ReturnQuantityExceededError",
  description: "More than is left to return (sold − already returned) on one or more lines; lines names each. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    billItemId: t.exposeInt("billItemId"),
    left: t.field({ type: "Quantity", resolve: (e) => e.left }),
    lines: t.field({ type: [ReturnExcessRef], resolve: (e) => e.lines }),
  }),
});

builder.objectType(RefundPaymentsMismatchError, {
  name: "RefundPaymentsMismatchError",
  description: "The refundPayments sent do not add up to the refund (leave them out to refund to the bill's own methods).",
  interfaces: [ErrorInterface],
  fields: (t) => ({ refundTotal: t.field({ type: "Money", resolve: (e) => e.refundTotal }), paymentsTotal: t.field({ type: "Money", resolve: (e) => e.paymentsTotal }) }),
});

builder.objectType(ReturnKeyReusedError, {
  name: "ReturnIdempotencyKeyReusedError",
  description: "The idempotency key was already used for a different return request (the original is returnId).",
  interfaces: [ErrorInterface],
  fields: (t) => ({ idempotencyKey: t.exposeString("idempotencyKey"), returnId: t.exposeInt("returnId") }),
});

builder.objectType(ApprovalRequiredError, {
  name: "ApprovalRequiredError",
  description: "This needs a manager: send approval {username, pin} of someone holding permission (or the approval sent did not count; the message says why).",
  interfaces: [ErrorInterface],
  fields: (t) => ({ permission: t.exposeString("permission") }),
});

builder.objectType(VoidWindowClosedError, {
  name: "VoidWindowClosedError",
  description: "Only a bill of the current open shift (shifts off: of today in the shop's time zone) can be voided; take the goods back as a return.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ billId: t.exposeInt("billId") }),
});

const RETURN_ERRORS = [ValidationError, NotFoundError, BillVoidedError, UnknownBillLineError, ReturnQuantityExceededError, RefundPaymentsMismatchError];

// ---- outputs --------------------------------------------------------------

const RefundPaymentRef = builder.objectRef<RefundPayment & { position?: number }>("RefundPayment").implement({
  description: "How (part of) a refund was paid back. Cash comes out of the current drawer.",
  fields: (t) => ({
    method: t.field({ type: PaymentMethodEnum, resolve: (p) => p.method }),
    amount: t.field({ type: "Money", resolve: (p) => p.amount }),
    label: t.exposeString("label", { nullable: true }),
    reference: t.exposeString("reference", { nullable: true }),
  }),
});

type StoredLine = ReturnWithLines["lines"][number];
const ReturnLineRef = builder.objectRef<StoredLine>("BillReturnLine").implement({
  description: "One bill line coming back: how much, whether it went back on the shelf, and what it refunded.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    billItemId: t.exposeInt("billItemId"),
    itemId: t.exposeInt("itemId"),
    itemName: t.string({ resolve: (l) => l.billItem.itemName }),
    unit: t.string({ resolve: (l) => l.billItem.unit }),
    quantity: t.field({ type: "Quantity", resolve: (l) => l.quantity }),
    restock: t.exposeBoolean("restock", { description: "true: back to stock; false: damaged, recorded only." }),
    refundAmount: t.field({ type: "Money", description: "Refunded for this line, tax included.", resolve: (l) => l.refundAmount }),
    taxAmount: t.field({ type: "Money", resolve: (l) => l.taxAmount }),
    discountAmount: t.field({ type: "Money", description: "The discounts (line and bill share) these units had been given.", resolve: (l) => l.discountAmount }),
  }),
});

export const BillReturnRef = builder.objectRef<ReturnWithLines>("BillReturn").implement({
  description: "A return: its own document against a bill (its id is the return number on the slip). A return cannot itself be returned.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    billId: t.exposeInt("billId"),
    reason: t.exposeString("reason"),
    refundTotal: t.field({ type: "Money", description: "What went back to the customer, tax included.", resolve: (r) => r.refundTotal }),
    taxTotal: t.field({ type: "Money", resolve: (r) => r.taxTotal }),
    discountTotal: t.field({ type: "Money", resolve: (r) => r.discountTotal }),
    actorName: t.exposeString("actorName", { nullable: true, description: "Who took the goods back." }),
    approvedByName: t.exposeString("approvedByName", { nullable: true, description: "The manager who approved it with their PIN (a cashier's return)." }),
    shiftId: t.exposeInt("shiftId", { nullable: true, description: "The shift whose drawer paid the cash out (null when shifts are off)." }),
    createdAt: t.field({ type: "DateTime", resolve: (r) => r.createdAt }),
    lines: t.field({ type: [ReturnLineRef], resolve: (r) => r.lines }),
    payments: t.field({ type: [RefundPaymentRef], resolve: (r) => r.payments }),
    billCreatedAt: t.field({ type: "DateTime", resolve: (r) => r.bill.createdAt }),
    customerName: t.string({ nullable: true, resolve: (r) => r.bill.customerName }),
    shopName: t.string({ nullable: true, resolve: (r) => (r.bill.shopHeader as ShopHeader | null)?.name ?? r.bill.storeName }),
  }),
});

const PreviewLineRef = builder.objectRef<ReturnDraftLine>("RefundPreviewLine").implement({
  fields: (t) => ({
    billItemId: t.exposeInt("billItemId"),
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    sold: t.field({ type: "Quantity", resolve: (l) => l.sold }),
    alreadyReturned: t.field({ type: "Quantity", resolve: (l) => l.alreadyReturned }),
    quantity: t.field({ type: "Quantity", resolve: (l) => l.quantity }),
    restock: t.exposeBoolean("restock"),
    refundAmount: t.field({ type: "Money", resolve: (l) => l.refundAmount }),
    taxAmount: t.field({ type: "Money", resolve: (l) => l.taxAmount }),
    discountAmount: t.field({ type: "Money", resolve: (l) => l.discountAmount }),
  }),
});

const RefundPreviewRef = builder.objectRef<RefundPreview>("RefundPreview").implement({
  description: "The return createReturn would make now, computed by the server from the bill's stored values; nothing written.",
  fields: (t) => ({
    billId: t.exposeInt("billId"),
    lines: t.field({ type: [PreviewLineRef], resolve: (p) => p.lines }),
    refundTotal: t.field({ type: "Money", resolve: (p) => p.refundTotal }),
    taxTotal: t.field({ type: "Money", resolve: (p) => p.taxTotal }),
    discountTotal: t.field({ type: "Money", resolve: (p) => p.discountTotal }),
    rounding: t.field({ type: "Money", description: "The bill's cash rounding given back by the return that completes the bill.", resolve: (p) => p.rounding }),
    payments: t.field({ type: [RefundPaymentRef], resolve: (p) => p.payments }),
    approvalRequired: t.exposeBoolean("approvalRequired", { description: "createReturn will need approval {username, pin} of a manager." }),
  }),
});

builder.prismaObjectFields("Bill", (t) => ({
  refundedTotal: t.field({ type: "Money", description: "What returns have refunded of this bill so far.", resolve: (b) => b.refundedTotal }),
  returns: t.field({ type: [BillReturnRef], description: "The bill's returns, oldest first.", resolve: (b, _args, ctx) => billReturns(ctx, b.id) }),
  voidedAt: t.field({ type: "DateTime", nullable: true, description: "Set when the bill was voided: it keeps its number and prints as VOID.", resolve: (b) => b.voidedAt }),
  voidReason: t.exposeString("voidReason", { nullable: true }),
  voidedBy: t.string({ nullable: true, description: "Who voided it (their name as recorded).", resolve: (b) => b.voidedByName }),
  voidApprovedBy: t.int({ nullable: true, description: "Staff id of the manager who approved a cashier's void.", resolve: (b) => b.voidApprovedBy }),
}));

builder.prismaObjectFields("BillItem", (t) => ({
  returnedQty: t.field({ type: "Quantity", description: "How much of the line has come back.", resolve: (l) => l.returnedQty }),
  refundedTotal: t.field({ type: "Money", description: "What returns have refunded for this line.", resolve: (l) => l.refundedTotal }),
}));

// ---- inputs ---------------------------------------------------------------

export const ManagerApprovalInput = builder.inputType("ManagerApprovalInput", {
  description: "A manager approving, on the spot, something the person asking may not do alone.",
  fields: (t) => ({ username: t.string({ required: true }), pin: t.string({ required: true }) }),
});

const ReturnLineInput = builder.inputType("ReturnLineInput", {
  fields: (t) => ({
    billItemId: t.int({ required: true, description: "The bill line (BillItem.id)." }),
    quantity: t.field({ type: "Quantity", required: true }),
    restock: t.boolean({ required: false, description: "true (default): back to stock; false: damaged, recorded only." }),
  }),
});

const CreateReturnInput = builder.inputType("CreateReturnInput", {
  fields: (t) => ({
    billId: t.int({ required: true }),
    lines: t.field({ type: [ReturnLineInput], required: true }),
    reason: t.string({ required: true }),
    refundPayments: t.field({
      type: [PaymentInput],
      required: false,
      description: "How the refund is paid back; they must add up to the refund. Leave out: back to the bill's own methods (card/mobile first, cash last).",
    }),
    register: t.string({ required: false, description: "The register whose drawer pays cash out (shifts on, several open)." }),
    idempotencyKey: t.string({ required: false, description: "Send the same key when retrying: the same request returns the original return." }),
    approval: t.field({ type: ManagerApprovalInput, required: false, description: "A manager's approval, when you lack REFUND." }),
  }),
});

const VoidBillInput = builder.inputType("VoidBillInput", {
  fields: (t) => ({
    billId: t.int({ required: true }),
    reason: t.string({ required: true }),
    approval: t.field({ type: ManagerApprovalInput, required: false, description: "A manager's approval, when you lack VOID_BILL." }),
  }),
});

const CreateReturnPayload = builder.objectRef<{ billReturn: ReturnWithLines; replayed: boolean }>("CreateReturnSuccess").implement({
  fields: (t) => ({
    billReturn: t.field({ type: BillReturnRef, resolve: (r) => r.billReturn }),
    replayed: t.exposeBoolean("replayed", { description: "True when this is the return made earlier with the same idempotency key." }),
  }),
});

// ---- fields ---------------------------------------------------------------

builder.queryFields((t) => ({
  refundPreview: t.field({
    type: RefundPreviewRef,
    description: "Prices a return exactly as createReturn would (refund per line, tax and discount shares, how it is paid back) and writes nothing.",
    errors: { types: RETURN_ERRORS, union: { name: "RefundPreviewResult" }, result: { name: "RefundPreviewSuccess" }, dataField: { name: "preview" } },
    args: { input: t.arg({ type: CreateReturnInput, required: true }) },
    resolve: (_, { input }, ctx) => refundPreview(ctx, input),
  }),
  billReturn: t.field({
    type: BillReturnRef,
    nullable: true,
    description: "One return (what its slip prints).",
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => orNull(getReturn(ctx, args.id)),
  }),
}));

builder.mutationFields((t) => ({
  createReturn: t.field({
    type: CreateReturnPayload,
    description: "Takes goods back against a bill: refunds from the bill's stored values, restocks (or records as damaged), pays back — all at once or not at all.",
    errors: {
      types: [...RETURN_ERRORS, ApprovalRequiredError, ReturnKeyReusedError, ...DRAWER_ERRORS],
      union: { name: "CreateReturnResult" },
      directResult: true,
    },
    args: { input: t.arg({ type: CreateReturnInput, required: true }) },
    resolve: (_, { input }, ctx) => createReturn(ctx, input),
  }),
  voidBill: t.field({
    type: BillRef,
    description: "Voids a bill of the current shift (shifts off: of today): stock goes back, its payments count as handed back, the bill keeps its number and prints as VOID.",
    errors: {
      types: [ValidationError, NotFoundError, BillVoidedError, BillHasReturnsError, VoidWindowClosedError, ApprovalRequiredError],
      union: { name: "VoidBillResult" },
      result: { name: "VoidBillSuccess" },
      dataField: { name: "bill" },
    },
    args: { input: t.arg({ type: VoidBillInput, required: true }) },
    resolve: (_, { input }, ctx) => voidBill(ctx, input),
  }),
}));
