// A complete sale in GraphQL: discounts, tax, payments and change on Bill and
// BillItem, their inputs, the sale's typed refusals and previewBill (same
// input as createBill, nothing written).
import type { BillPreview, TaxBreakdownJson } from "../../domain/bills.ts";
import type { ShopHeader } from "../../domain/settings.ts";
import { InsufficientStockError, ItemInactiveError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import {
  DiscountApprovalRequiredError,
  PaymentExceedsDueError,
  PaymentNotNeededError,
  PaymentShortError,
  TotalChangedError,
} from "../../domain/totals-errors.ts";
import { DISCOUNT_KINDS, PAYMENT_METHODS, TAX_ROUNDING } from "../../domain/totals.ts";
import type { BillItem, BillPayment, DiscountKind } from "../../generated/prisma/client.ts";
import type { Decimal } from "../../domain/money.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./errors.ts";

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
const values = <T extends string>(list: readonly T[]) => Object.fromEntries(list.map((v) => [v, { value: v }])) as { [K in T]: { value: K } };

export const DiscountKindEnum = builder.enumType("DiscountKind", { description: "PERCENT of the amount, or a fixed AMOUNT of money.", values: values(DISCOUNT_KINDS) });
export const PaymentMethodEnum = builder.enumType("PaymentMethod", {
  description: "CASH (may exceed what is due: the excess is change), CARD, MOBILE (wallet) or OTHER (with a label).",
  values: values(PAYMENT_METHODS),
});
export const TaxRoundingEnum = builder.enumType("TaxRounding", {
  description: "Round tax on each line, or once per rate over the whole bill (then spread back over its lines).",
  values: values(TAX_ROUNDING),
});

// ---- refusals -------------------------------------------------------------

builder.objectType(PaymentShortError, {
  name: "PaymentShortError",
  description: "The payments add up to less than the bill. Nothing was sold.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    amountDue: t.field({ type: "Money", resolve: (e) => e.amountDue }),
    paid: t.field({ type: "Money", resolve: (e) => e.paid }),
    remaining: t.field({ type: "Money", resolve: (e) => e.remaining }),
  }),
});

builder.objectType(PaymentExceedsDueError, {
  name: "PaymentExceedsDueError",
  description: "A card, mobile or other payment is more than what is still due; only cash may exceed it. Nothing was sold.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    paymentIndex: t.exposeInt("paymentIndex", { description: "0-based position in payments." }),
    method: t.field({ type: PaymentMethodEnum, resolve: (e) => e.method as (typeof PAYMENT_METHODS)[number] }),
    amount: t.field({ type: "Money", resolve: (e) => e.amount }),
    remaining: t.field({ type: "Money", resolve: (e) => e.remaining }),
  }),
});

builder.objectType(PaymentNotNeededError, {
  name: "PaymentNotNeededError",
  description: "A payment comes after the bill is already paid in full.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    paymentIndex: t.exposeInt("paymentIndex"),
    method: t.field({ type: PaymentMethodEnum, resolve: (e) => e.method as (typeof PAYMENT_METHODS)[number] }),
  }),
});

builder.objectType(DiscountApprovalRequiredError, {
  name: "DiscountApprovalRequiredError",
  description: "The discount is above what this person may give alone; send approval {username, pin} of a manager.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    discountPercent: t.exposeString("discountPercent"),
    limitPercent: t.exposeString("limitPercent"),
  }),
});

builder.objectType(TotalChangedError, {
  name: "TotalChangedError",
  description: "The total is not the expectedTotal the client showed (a price, rate or setting changed). Nothing was sold.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    expectedTotal: t.field({ type: "Money", resolve: (e) => e.expectedTotal }),
    total: t.field({ type: "Money", resolve: (e) => e.total }),
  }),
});

/** Every refusal of pricing a cart (preview and bill alike). */
export const PRICING_ERRORS = [
  ValidationError,
  NotFoundError,
  ItemInactiveError,
  InsufficientStockError,
  PaymentShortError,
  PaymentExceedsDueError,
  PaymentNotNeededError,
];
/** And those only a real sale can meet. */
export const SALE_ERRORS = [...PRICING_ERRORS, DiscountApprovalRequiredError, TotalChangedError];

// ---- inputs ---------------------------------------------------------------

export const DiscountInput = builder.inputType("DiscountInput", {
  fields: (t) => ({
    kind: t.field({ type: DiscountKindEnum, required: true }),
    value: t.field({ type: "Quantity", required: true, description: 'A percent (0 < p ≤ 100, up to 3 decimals) or an amount of money, e.g. "10" or "25.00".' }),
    reason: t.string({ required: false }),
  }),
});

export const PaymentInput = builder.inputType("PaymentInput", {
  fields: (t) => ({
    method: t.field({ type: PaymentMethodEnum, required: true }),
    amount: t.field({ type: "Money", required: true, description: "Cash: what the customer handed over (change is given back). Others: the amount charged, at most what is still due." }),
    label: t.string({ required: false, description: "What an OTHER payment is (e.g. Voucher); required for OTHER." }),
    reference: t.string({ required: false, description: "Last 4 card digits, wallet transaction id, ..." }),
  }),
});

export const DiscountApprovalInput = builder.inputType("DiscountApprovalInput", {
  description: "A manager approving a discount above the cashier limit, on the spot.",
  fields: (t) => ({ username: t.string({ required: true }), pin: t.string({ required: true }) }),
});

// ---- outputs --------------------------------------------------------------

interface AppliedDiscount {
  kind: DiscountKind;
  value: Decimal;
  amount: Decimal;
  reason: string | null;
}
const AppliedDiscountRef = builder.objectRef<AppliedDiscount>("AppliedDiscount").implement({
  description: "A discount as asked (kind, value) and what it took off (amount).",
  fields: (t) => ({
    kind: t.field({ type: DiscountKindEnum, resolve: (d) => d.kind }),
    value: t.field({ type: "Quantity", resolve: (d) => d.value }),
    amount: t.field({ type: "Money", resolve: (d) => d.amount }),
    reason: t.exposeString("reason", { nullable: true }),
  }),
});

const TaxBreakdownRef = builder.objectRef<TaxBreakdownJson>("TaxBreakdownEntry").implement({
  description: "One tax rate on a bill: the base it applied to and the tax.",
  fields: (t) => ({
    rateId: t.exposeInt("rateId", { nullable: true }),
    name: t.exposeString("name"),
    percent: t.exposeString("percent", { description: 'e.g. "17" or "5.5"' }),
    taxableBase: t.field({ type: "Money", resolve: (b) => b.taxableBase }),
    tax: t.field({ type: "Money", resolve: (b) => b.tax }),
  }),
});

const ShopHeaderRef = builder.objectRef<ShopHeader>("ShopHeader").implement({
  description: "The shop's header and footer as printed on the bill when it was made.",
  fields: (t) => ({
    name: t.exposeString("name"),
    address: t.exposeString("address", { nullable: true }),
    phone: t.exposeString("phone", { nullable: true }),
    taxRegistrationNumber: t.exposeString("taxRegistrationNumber", { nullable: true }),
    currency: t.exposeString("currency", { description: "ISO 4217, e.g. PKR." }),
    receiptFooter: t.exposeString("receiptFooter", { nullable: true }),
    timeZone: t.exposeString("timeZone"),
  }),
});

type PaymentLike = Omit<BillPayment, "id" | "billId">;
const PaymentRef = builder.objectRef<PaymentLike>("Payment").implement({
  description: "How (part of) a bill was paid. For cash, tendered − amount = change.",
  fields: (t) => ({
    position: t.exposeInt("position"),
    method: t.field({ type: PaymentMethodEnum, resolve: (p) => p.method }),
    amount: t.field({ type: "Money", description: "The part of the bill this payment paid.", resolve: (p) => p.amount }),
    tendered: t.field({ type: "Money", nullable: true, description: "Cash only: what was handed over.", resolve: (p) => p.tendered }),
    change: t.field({ type: "Money", resolve: (p) => p.change }),
    label: t.exposeString("label", { nullable: true }),
    reference: t.exposeString("reference", { nullable: true }),
  }),
});

type LineLike = Omit<BillItem, "id" | "billId">;
type BillLike = Omit<BillPreview, "lines" | "payments" | "discountApprovalRequired" | "discountPercent" | "discountLimitPercent">;

const lineDiscount = (l: LineLike): AppliedDiscount | null =>
  l.discountKind && l.discountValue ? { kind: l.discountKind, value: l.discountValue, amount: l.lineDiscount, reason: l.discountReason } : null;
const billDiscount = (b: BillLike): AppliedDiscount | null =>
  b.billDiscountKind && b.billDiscountValue ? { kind: b.billDiscountKind, value: b.billDiscountValue, amount: b.billDiscountAmount, reason: b.billDiscountReason } : null;

// The same sale fields on a stored bill line and on a preview's line.
function lineFields(t: PothosSchemaTypes.ObjectFieldBuilder<Types, LineLike>) {
  return {
    sku: t.exposeString("sku", { nullable: true, description: "The SKU at the time of sale." }),
    discount: t.field({ type: AppliedDiscountRef, nullable: true, resolve: lineDiscount }),
    lineDiscount: t.field({ type: "Money", resolve: (l) => l.lineDiscount }),
    billDiscountShare: t.field({ type: "Money", description: "This line's share of the bill discount.", resolve: (l) => l.billDiscountShare }),
    taxRateName: t.exposeString("taxRateName", { nullable: true }),
    taxRatePercent: t.string({ resolve: (l) => l.taxRatePercent.toString() }),
    taxableAmount: t.field({ type: "Money", description: "What tax was computed on (tax excluded).", resolve: (l) => l.taxableAmount }),
    taxAmount: t.field({ type: "Money", resolve: (l) => l.taxAmount }),
    chargedTotal: t.field({ type: "Money", description: "What the line charges: after discounts, tax included.", resolve: (l) => l.chargedTotal }),
  };
}

function billFields(t: PothosSchemaTypes.ObjectFieldBuilder<Types, BillLike>) {
  return {
    discountTotal: t.field({ type: "Money", description: "Line discounts plus the bill discount.", resolve: (b) => b.discountTotal }),
    billDiscount: t.field({ type: AppliedDiscountRef, nullable: true, resolve: billDiscount }),
    taxTotal: t.field({ type: "Money", resolve: (b) => b.taxTotal }),
    taxBreakdown: t.field({ type: [TaxBreakdownRef], resolve: (b) => b.taxBreakdown as unknown as TaxBreakdownJson[] }),
    pricesIncludeTax: t.boolean({ resolve: (b) => b.pricesIncludeTax }),
    taxRounding: t.field({ type: TaxRoundingEnum, resolve: (b) => b.taxRounding }),
    cashRounding: t.field({ type: "Money", description: "Added to the total by rounding the cash part (0 unless the last payment is cash).", resolve: (b) => b.cashRounding }),
    changeDue: t.field({ type: "Money", resolve: (b) => b.changeDue }),
    shop: t.field({ type: ShopHeaderRef, nullable: true, description: "Null on bills made before shop settings existed.", resolve: (b) => b.shopHeader as unknown as ShopHeader | null }),
    discountRequestedBy: t.int({ nullable: true, description: "Staff id of who gave the discount.", resolve: (b) => b.discountRequestedBy }),
    discountApprovedBy: t.int({ nullable: true, description: "Staff id of the manager who approved it over the limit.", resolve: (b) => b.discountApprovedBy }),
  };
}

builder.prismaObjectFields("BillItem", (t) => lineFields(t as never));
builder.prismaObjectFields("Bill", (t) => ({
  ...billFields(t as never),
  payments: t.field({
    type: [PaymentRef],
    resolve: (bill, _args, ctx) =>
      (bill as { payments?: BillPayment[] }).payments ?? ctx.db.prisma.billPayment.findMany({ where: { billId: bill.id }, orderBy: { position: "asc" } }),
  }),
}));

const PreviewLineRef = builder.objectRef<LineLike>("BillPreviewLine").implement({
  description: "A line as it would be sold.",
  fields: (t) => ({
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    unitPrice: t.field({ type: "Money", resolve: (l) => l.unitPrice }),
    quantity: t.field({ type: "Quantity", resolve: (l) => l.quantity }),
    lineTotal: t.field({ type: "Money", description: "unit price × quantity, before discounts.", resolve: (l) => l.lineTotal }),
    ...lineFields(t as never),
  }),
});

export const BillPreviewRef = builder.objectRef<BillPreview>("BillPreview").implement({
  description: "A bill as createBill would make it now, with nothing written.",
  fields: (t) => ({
    customerName: t.exposeString("customerName", { nullable: true }),
    storeName: t.exposeString("storeName", { nullable: true }),
    subtotal: t.field({ type: "Money", resolve: (b) => b.subtotal }),
    totalAmount: t.field({ type: "Money", description: "What the customer pays, cash rounding included. Send it as expectedTotal.", resolve: (b) => b.totalAmount }),
    lines: t.field({ type: [PreviewLineRef], resolve: (b) => b.lines }),
    payments: t.field({ type: [PaymentRef], resolve: (b) => b.payments }),
    discountApprovalRequired: t.exposeBoolean("discountApprovalRequired", { description: "createBill will need approval {username, pin} of a manager." }),
    discountPercent: t.exposeString("discountPercent", { description: "All discounts as a percent of the subtotal." }),
    discountLimitPercent: t.exposeString("discountLimitPercent", { nullable: true, description: "The most this person may give alone; null: no limit." }),
    ...billFields(t as never),
  }),
});
