// Domain objects → the wire's snake_case JSON, typed by the response schemas
// so the documented shapes and the sent ones cannot drift apart.
import type { Bill, BillItem, BillPayment } from "../generated/prisma/client.ts";
import type { BillDraft, BillPreview, BillWithLines, TaxBreakdownJson } from "../domain/bills.ts";
import type { Item } from "../domain/items.ts";
import { formatMoney, formatQuantity } from "../domain/money.ts";
import type { ShopHeader, ShopSettings } from "../domain/settings.ts";
import type { CategoryTaxRate, TaxRate } from "../domain/tax-rates.ts";
import type { CashRounding } from "../domain/totals.ts";
import type { RefundPayment, RefundPreview, ReturnWithLines } from "../domain/returns.ts";
import type { BillJson, BillPreviewJson, BillSummaryJson, ItemJson, RefundPreviewJson, ReturnJson, SettingsJson, TaxRateJson } from "./schemas.ts";

export const itemJson = (i: Item): ItemJson => ({
  id: i.id,
  name: i.name,
  sku: i.sku,
  category: i.category,
  unit: i.unit,
  unit_price: formatMoney(i.unitPrice),
  stock_qty: formatQuantity(i.stockQty),
  is_active: i.isActive,
  created_at: i.createdAt.toISOString(),
  updated_at: i.updatedAt.toISOString(),
  reorder_point: i.reorderPoint === null ? null : formatQuantity(i.reorderPoint),
  reorder_qty: i.reorderQty === null ? null : formatQuantity(i.reorderQty),
  unit_cost: i.unitCost === null ? null : formatMoney(i.unitCost),
  low_stock_at: formatQuantity(i.lowStockAt!),
});

const totalsJson = (b: Pick<Bill, "subtotal" | "totalAmount" | "discountTotal" | "taxTotal" | "cashRounding" | "changeDue">) => ({
  subtotal: formatMoney(b.subtotal),
  total_amount: formatMoney(b.totalAmount),
  discount_total: formatMoney(b.discountTotal),
  tax_total: formatMoney(b.taxTotal),
  cash_rounding: formatMoney(b.cashRounding),
  change_due: formatMoney(b.changeDue),
});

export const billSummaryJson = (b: Bill): BillSummaryJson => ({
  id: b.id,
  customer_name: b.customerName,
  store_name: b.storeName,
  ...totalsJson(b),
  idempotency_key: b.idempotencyKey,
  cashier_name: b.cashierName,
  created_at: b.createdAt.toISOString(),
  refunded_total: formatMoney(b.refundedTotal),
  voided_at: b.voidedAt?.toISOString() ?? null,
  void_reason: b.voidReason,
  voided_by: b.voidedByName,
});

type LineLike = Omit<BillItem, "id" | "billId">;
const lineJson = (l: LineLike) => ({
  item_id: l.itemId,
  item_name: l.itemName,
  sku: l.sku,
  unit: l.unit,
  unit_price: formatMoney(l.unitPrice),
  quantity: formatQuantity(l.quantity),
  line_total: formatMoney(l.lineTotal),
  discount:
    l.discountKind && l.discountValue
      ? { kind: l.discountKind, value: l.discountValue.toFixed(3), amount: formatMoney(l.lineDiscount), reason: l.discountReason }
      : null,
  line_discount: formatMoney(l.lineDiscount),
  bill_discount_share: formatMoney(l.billDiscountShare),
  tax_rate_name: l.taxRateName,
  tax_rate_percent: l.taxRatePercent.toString(),
  taxable_amount: formatMoney(l.taxableAmount),
  tax_amount: formatMoney(l.taxAmount),
  charged_total: formatMoney(l.chargedTotal),
});

const paymentJson = (p: Omit<BillPayment, "id" | "billId">) => ({
  position: p.position,
  method: p.method,
  amount: formatMoney(p.amount),
  tendered: p.tendered ? formatMoney(p.tendered) : null,
  change: formatMoney(p.change),
  label: p.label,
  reference: p.reference,
});

const shopJson = (h: ShopHeader | null) =>
  h && {
    name: h.name,
    address: h.address,
    phone: h.phone,
    tax_registration_number: h.taxRegistrationNumber,
    currency: h.currency,
    receipt_footer: h.receiptFooter,
    time_zone: h.timeZone,
  };

const saleJson = (b: Omit<BillDraft, "lines">) => ({
  bill_discount:
    b.billDiscountKind && b.billDiscountValue
      ? { kind: b.billDiscountKind, value: b.billDiscountValue.toFixed(3), amount: formatMoney(b.billDiscountAmount), reason: b.billDiscountReason }
      : null,
  tax_breakdown: (b.taxBreakdown as unknown as TaxBreakdownJson[]).map((t) => ({ rate_id: t.rateId, name: t.name, percent: t.percent, taxable_base: t.taxableBase, tax: t.tax })),
  prices_include_tax: b.pricesIncludeTax,
  tax_rounding: b.taxRounding,
  payments: b.payments.map(paymentJson),
  shop: shopJson(b.shopHeader as unknown as ShopHeader | null),
  discount_requested_by: b.discountRequestedBy,
  discount_approved_by: b.discountApprovedBy,
});

export const billJson = (b: BillWithLines): BillJson => ({
  ...billSummaryJson(b),
  ...saleJson(b),
  items: b.lines.map((l) => ({ id: l.id, ...lineJson(l), returned_qty: formatQuantity(l.returnedQty), refunded_total: formatMoney(l.refundedTotal) })),
});

const refundPaymentJson = (p: RefundPayment) => ({ method: p.method, amount: formatMoney(p.amount), label: p.label, reference: p.reference });

export const returnJson = (r: ReturnWithLines): ReturnJson => ({
  id: r.id,
  bill_id: r.billId,
  reason: r.reason,
  refund_total: formatMoney(r.refundTotal),
  tax_total: formatMoney(r.taxTotal),
  discount_total: formatMoney(r.discountTotal),
  actor_name: r.actorName,
  approved_by_name: r.approvedByName,
  shift_id: r.shiftId,
  created_at: r.createdAt.toISOString(),
  items: r.lines.map((l) => ({
    id: l.id,
    bill_item_id: l.billItemId,
    item_id: l.itemId,
    item_name: l.billItem.itemName,
    unit: l.billItem.unit,
    quantity: formatQuantity(l.quantity),
    restock: l.restock,
    refund_amount: formatMoney(l.refundAmount),
    tax_amount: formatMoney(l.taxAmount),
    discount_amount: formatMoney(l.discountAmount),
  })),
  refund_payments: r.payments.map(refundPaymentJson),
});

export const refundPreviewJson = (p: RefundPreview): RefundPreviewJson => ({
  bill_id: p.billId,
  items: p.lines.map((l) => ({
    bill_item_id: l.billItemId,
    item_id: l.itemId,
    item_name: l.itemName,
    unit: l.unit,
    quantity: formatQuantity(l.quantity),
    restock: l.restock,
    refund_amount: formatMoney(l.refundAmount),
    tax_amount: formatMoney(l.taxAmount),
    discount_amount: formatMoney(l.discountAmount),
    sold: formatQuantity(l.sold),
    already_returned: formatQuantity(l.alreadyReturned),
  })),
  refund_total: formatMoney(p.refundTotal),
  tax_total: formatMoney(p.taxTotal),
  discount_total: formatMoney(p.discountTotal),
  rounding: formatMoney(p.rounding),
  refund_payments: p.payments.map(refundPaymentJson),
  approval_required: p.approvalRequired,
});

export const billPreviewJson = (b: BillPreview): BillPreviewJson => ({
  customer_name: b.customerName,
  store_name: b.storeName,
  ...totalsJson(b),
  ...saleJson(b),
  items: b.lines.map(lineJson),
  discount_approval_required: b.discountApprovalRequired,
  discount_percent: b.discountPercent,
  discount_limit_percent: b.discountLimitPercent,
});

export const settingsJson = (s: ShopSettings): SettingsJson => ({
  name: s.name,
  address: s.address,
  phone: s.phone,
  tax_registration_number: s.taxRegistrationNumber,
  currency: s.currency,
  receipt_footer: s.receiptFooter,
  prices_include_tax: s.pricesIncludeTax,
  tax_rounding: s.taxRounding,
  cash_rounding: s.cashRounding as CashRounding,
  time_zone: s.timeZone,
  cashier_discount_limit: s.cashierDiscountLimit.toString(),
  shifts_enabled: s.shiftsEnabled,
  updated_at: s.updatedAt.toISOString(),
});

export const taxRateJson = (r: TaxRate): TaxRateJson => ({ id: r.id, name: r.name, percent: r.percent.toString(), is_active: r.isActive });
export const categoryTaxRateJson = (c: CategoryTaxRate) => ({ category: c.category, tax_rate: taxRateJson(c.taxRate) });

/** The Link header for the next page of a list, or nothing on the last page. */
export function nextLink(url: URL, page: { hasNextPage: boolean; endCursor: string | null }): Record<string, string> {
  if (!page.hasNextPage || !page.endCursor) return {};
  const next = new URLSearchParams(url.searchParams);
  next.set("after", page.endCursor);
  return { link: `<${url.pathname}?${next}>; rel="next"` };
}
