// Pure text and JSON renderings used by the console program: aligned tables,
// the cart preview and the printed invoice. No I/O here, so the web/REST front
// doors can reuse formatInvoice and the tests can check every character.
import type { BillDraft, BillWithLines, TaxBreakdownJson } from "../domain/bills.ts";
import type { RefundPreview, ReturnWithLines } from "../domain/returns.ts";
import type { ShopHeader, ShopSettings } from "../domain/settings.ts";
import type { Item } from "../domain/items.ts";
import { Decimal, formatMoney, formatQuantity } from "../domain/money.ts";

export interface Column {
  header: string;
  align?: "left" | "right";
  /** Longer cells are cut to this width and end with "…". */
  maxWidth?: number;
}

const clip = (text: string, max?: number) => (max && text.length > max ? `${text.slice(0, Math.max(max - 1, 0))}…` : text);

/** An aligned plain-text table: header, a dashed rule, one line per row. */
export function formatTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((row) => columns.map((c, i) => clip(row[i] ?? "", c.maxWidth)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.align === "right" ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

const ITEM_COLUMNS: Column[] = [
  { header: "ID", align: "right" },
  { header: "Name", maxWidth: 40 },
  { header: "Category", maxWidth: 20 },
  { header: "Unit", maxWidth: 10 },
  { header: "Price", align: "right" },
  { header: "Stock", align: "right" },
];

/** The inventory table: ID, Name, Category, Unit, Price, Stock (inactive items are marked). */
export function formatItemTable(items: Item[]): string {
  return formatTable(
    ITEM_COLUMNS,
    items.map((i) => [
      String(i.id),
      i.isActive ? i.name : `${i.name} (inactive)`,
      i.category,
      i.unit,
      formatMoney(i.unitPrice),
      formatQuantity(i.stockQty),
    ]),
  );
}

/** One item's current values, one per line (shown before an update). */
export function formatItemDetails(item: Item): string {
  return [
    `Item ${item.id}${item.isActive ? "" : " (inactive)"}`,
    `  Name:       ${item.name}`,
    `  Category:   ${item.category}`,
    `  Unit:       ${item.unit}`,
    `  Unit price: ${formatMoney(item.unitPrice)}`,
    `  Stock:      ${formatQuantity(item.stockQty)} ${item.unit}`,
    ...(item.sku ? [`  SKU:        ${item.sku}`] : []),
  ].join("\n");
}

export interface CartLine {
  itemId: number;
  name: string;
  unit: string;
  unitPrice: Decimal;
  quantity: Decimal;
  discount?: { kind: "PERCENT" | "AMOUNT"; value: string } | null;
}

const discountText = (d: { kind: string; value: { toString(): string } } | null | undefined) =>
  d ? (d.kind === "PERCENT" ? `${new Decimal(d.value.toString()).toString()}%` : formatMoney(new Decimal(d.value.toString()))) : "";

/** The totals block of a bill or a preview: subtotal, discounts, tax per rate, cash rounding, total, payments, change. */
function totalsLines(b: Omit<BillDraft, "lines">, both: (left: string, right: string) => string): string[] {
  const out = [both("Subtotal", formatMoney(b.subtotal))];
  if (!b.discountTotal.isZero()) {
    if (!b.billDiscountAmount.isZero()) out.push(both(`Bill discount ${discountText(b.billDiscountKind ? { kind: b.billDiscountKind, value: b.billDiscountValue ?? 0 } : null)}`.trimEnd(), `-${formatMoney(b.billDiscountAmount)}`));
    out.push(both("Discount total", `-${formatMoney(b.discountTotal)}`));
  }
  for (const t of b.taxBreakdown as unknown as TaxBreakdownJson[]) {
    out.push(both(`${t.name} ${t.percent}%${b.pricesIncludeTax ? " incl." : ""} on ${t.taxableBase}`, t.tax));
  }
  if (!b.cashRounding.isZero()) out.push(both("Cash rounding", formatMoney(b.cashRounding)));
  return out;
}

function paymentLines(b: Omit<BillDraft, "lines">, both: (left: string, right: string) => string): string[] {
  const out: string[] = [];
  for (const p of b.payments) {
    const name = p.label ?? { CASH: "Cash", CARD: "Card", MOBILE: "Mobile wallet", OTHER: "Other" }[p.method];
    out.push(both(`${name}${p.reference ? ` (${p.reference})` : ""}`, formatMoney(p.tendered ?? p.amount)));
  }
  if (!b.changeDue.isZero()) out.push(both("Change", formatMoney(b.changeDue)));
  return out;
}

/** The preview shown before a bill is confirmed: the server's own pricing of the cart (previewBill). */
export function formatPreview(preview: BillDraft): string {
  const discounted = preview.lines.some((l) => !l.lineDiscount.isZero());
  const table = formatTable(
    [
      { header: "#", align: "right" },
      { header: "Item", maxWidth: 40 },
      { header: "Qty", align: "right" },
      { header: "Unit", maxWidth: 10 },
      { header: "Price", align: "right" },
      ...(discounted ? [{ header: "Discount", align: "right" as const }] : []),
      { header: "Line total", align: "right" },
    ],
    preview.lines.map((l, i) => [
      String(i + 1),
      l.itemName,
      formatQuantity(l.quantity),
      l.unit,
      formatMoney(l.unitPrice),
      ...(discounted ? [l.lineDiscount.isZero() ? "" : `-${formatMoney(l.lineDiscount)}`] : []),
      formatMoney(l.lineTotal),
    ]),
  );
  const width = Math.max(...table.split("\n").map((l) => l.length));
  const summary = (label: string, value: string) => `${label}${value.padStart(Math.max(width - label.length, value.length + 1))}`;
  return [table, "-".repeat(width), ...totalsLines(preview, summary), summary("Total", formatMoney(preview.totalAmount))].join("\n");
}

/** "2026-11-25 17:45:03" in the given time zone (the machine's when omitted). */
export function formatDateTime(date: Date, timeZone?: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Splits text into lines of at most `width` characters, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    let w = word;
    while (w.length > width) {
      if (current) lines.push(current);
      current = "";
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!current) current = w;
    else if (current.length + 1 + w.length <= width) current += ` ${w}`;
    else {
      lines.push(current);
      current = w;
    }
  }
  if (current || !lines.length) lines.push(current);
  return lines;
}

export interface InvoiceOptions {
  /** IANA time zone for the date line; the machine's own when omitted. */
  timeZone?: string;
  /** Characters per line (receipt printers are often 32–48). */
  width?: number;
  /** Heading when the bill has no store name. */
  defaultStoreName?: string;
}

/** The printable invoice of a saved bill: a pure function of the bill. */
export function formatInvoice(bill: BillWithLines, options: InvoiceOptions = {}): string {
  const width = Math.max(options.width ?? 44, 24);
  const heavy = "=".repeat(width);
  const light = "-".repeat(width);
  const center = (s: string) => " ".repeat(Math.max(Math.floor((width - s.length) / 2), 0)) + s;
  const both = (left: string, right: string) => `${left}${right.padStart(Math.max(width - left.length, right.length + 1))}`;

  // The shop's header as it was when the bill was made (bills from before shop settings print as they always did).
  const shop = bill.shopHeader as unknown as ShopHeader | null;
  const out = [heavy, ...wrap(bill.storeName ?? shop?.name ?? options.defaultStoreName ?? "StoreLite", width).map(center)];
  for (const extra of [shop?.address, shop?.phone ? `Tel. ${shop.phone}` : null, shop?.taxRegistrationNumber ? `Tax reg. no. ${shop.taxRegistrationNumber}` : null]) {
    if (extra) out.push(...wrap(extra, width).map(center));
  }
  out.push(heavy);
  // A voided bill keeps its number and everything on it, and says VOID where no one can miss it.
  if (bill.voidedAt) out.push(center("*** VOID ***"));
  out.push(`Bill No:  ${bill.id}`, `Date:     ${formatDateTime(bill.createdAt, options.timeZone ?? shop?.timeZone)}`);
  if (bill.customerName) out.push(...wrap(`Customer: ${bill.customerName}`, width));
  if (bill.cashierName) out.push(...wrap(`Cashier:  ${bill.cashierName}`, width));
  out.push(light);
  bill.lines.forEach((l, i) => {
    out.push(...wrap(`${i + 1}. ${l.itemName}`, width));
    out.push(both(`   ${formatQuantity(l.quantity)} ${l.unit} x ${formatMoney(l.unitPrice)}`, formatMoney(l.lineTotal)));
    if (!l.lineDiscount.isZero()) out.push(both(`   discount ${discountText(l.discountKind ? { kind: l.discountKind, value: l.discountValue ?? 0 } : null)}`.trimEnd(), `-${formatMoney(l.lineDiscount)}`));
  });
  out.push(light, ...totalsLines(bill, both), both("TOTAL", formatMoney(bill.totalAmount)));
  const paid = paymentLines(bill, both);
  if (paid.length) out.push(light, ...paid);
  if (bill.voidedAt) {
    out.push(heavy, center("*** VOID ***"), `Voided:   ${formatDateTime(bill.voidedAt, options.timeZone ?? shop?.timeZone)}`);
    if (bill.voidedByName) out.push(...wrap(`By:       ${bill.voidedByName}`, width));
    out.push(...wrap(`Reason:   ${bill.voidReason ?? ""}`, width), ...wrap("Stock went back and the payments were handed back.", width));
  } else if (!bill.refundedTotal.isZero()) out.push(light, both("Refunded by returns", `-${formatMoney(bill.refundedTotal)}`));
  out.push(heavy);
  out.push(center(`${bill.lines.length} item${bill.lines.length === 1 ? "" : "s"} - thank you!`));
  if (shop?.receiptFooter) out.push(...wrap(shop.receiptFooter, width).map(center));
  return `${out.join("\n")}\n`;
}

/** The file name an invoice is saved under: bill number plus its time, so a reset database never overwrites old records. */
export function invoiceFileName(bill: Pick<BillWithLines, "id" | "createdAt">, timeZone?: string): string {
  const stamp = formatDateTime(bill.createdAt, timeZone).replace(/[-:]/g, "").replace(" ", "-");
  return `bill-${bill.id}-${stamp}.txt`;
}

/** The refund preview shown before a return is confirmed: the server's own figures (refundPreview). */
export function formatRefundPreview(p: RefundPreview): string {
  const table = formatTable(
    [
      { header: "Item", maxWidth: 40 },
      { header: "Qty", align: "right" },
      { header: "Unit", maxWidth: 10 },
      { header: "Goods" },
      { header: "Tax", align: "right" },
      { header: "Refund", align: "right" },
    ],
    p.lines.map((l) => [l.itemName, formatQuantity(l.quantity), l.unit, l.restock ? "to stock" : "damaged", formatMoney(l.taxAmount), formatMoney(l.refundAmount)]),
  );
  const width = Math.max(...table.split("\n").map((l) => l.length));
  const both = (label: string, value: string) => `${label}${value.padStart(Math.max(width - label.length, value.length + 1))}`;
  const out = [table, "-".repeat(width)];
  if (!p.rounding.isZero()) out.push(both("Cash rounding of the bill", formatMoney(p.rounding)));
  out.push(both("Refund", formatMoney(p.refundTotal)));
  for (const x of p.payments) out.push(both(`  back by ${METHOD_NAMES[x.method]}`, formatMoney(x.amount)));
  return out.join("\n");
}

const METHOD_NAMES: Record<string, string> = { CASH: "cash", CARD: "card", MOBILE: "mobile wallet", OTHER: "other" };

/** The printable return slip: a pure function of the return. */
export function formatReturnSlip(r: ReturnWithLines, options: InvoiceOptions = {}): string {
  const width = Math.max(options.width ?? 44, 24);
  const heavy = "=".repeat(width);
  const light = "-".repeat(width);
  const center = (s: string) => " ".repeat(Math.max(Math.floor((width - s.length) / 2), 0)) + s;
  const both = (left: string, right: string) => `${left}${right.padStart(Math.max(width - left.length, right.length + 1))}`;
  const shop = r.bill.shopHeader as ShopHeader | null;
  const zone = options.timeZone ?? shop?.timeZone;
  const out = [heavy, ...wrap(r.bill.storeName ?? shop?.name ?? options.defaultStoreName ?? "StoreLite", width).map(center), center("RETURN"), heavy];
  out.push(`Return No: ${r.id}`, `Date:      ${formatDateTime(r.createdAt, zone)}`, `Bill No:   ${r.billId} of ${formatDateTime(r.bill.createdAt, zone)}`);
  if (r.bill.customerName) out.push(...wrap(`Customer:  ${r.bill.customerName}`, width));
  if (r.actorName) out.push(...wrap(`By:        ${r.actorName}`, width));
  if (r.approvedByName) out.push(...wrap(`Approved:  ${r.approvedByName}`, width));
  out.push(...wrap(`Reason:    ${r.reason}`, width), light);
  r.lines.forEach((l, i) => {
    out.push(...wrap(`${i + 1}. ${l.billItem.itemName}${l.restock ? "" : " (damaged)"}`, width));
    out.push(both(`   ${formatQuantity(l.quantity)} ${l.billItem.unit}`, formatMoney(l.refundAmount)));
  });
  out.push(light);
  if (!r.taxTotal.isZero()) out.push(both("of which tax", formatMoney(r.taxTotal)));
  out.push(both("REFUND", formatMoney(r.refundTotal)));
  for (const p of r.payments) out.push(both(`  ${p.label ?? METHOD_NAMES[p.method]}`, formatMoney(p.amount)));
  out.push(heavy);
  return `${out.join("\n")}\n`;
}

/** The file a return slip is saved under, beside the invoices. */
export function returnSlipFileName(r: Pick<ReturnWithLines, "id" | "billId" | "createdAt">, timeZone?: string): string {
  const stamp = formatDateTime(r.createdAt, timeZone).replace(/[-:]/g, "").replace(" ", "-");
  return `return-${r.id}-bill-${r.billId}-${stamp}.txt`;
}

// JSON for scripts: camelCase like the GraphQL API, money and quantities as decimal strings.

export function itemJson(item: Item) {
  return {
    id: item.id,
    name: item.name,
    sku: item.sku,
    category: item.category,
    unit: item.unit,
    unitPrice: formatMoney(item.unitPrice),
    stockQty: formatQuantity(item.stockQty),
    isActive: item.isActive,
  };
}

/** A bill's own figures, without its lines and payments (bill list --json). */
export function billSummaryJson(bill: Omit<BillWithLines, "lines" | "payments">) {
  return {
    id: bill.id,
    customerName: bill.customerName,
    storeName: bill.storeName,
    createdAt: bill.createdAt.toISOString(),
    voidedAt: bill.voidedAt?.toISOString() ?? null,
    voidReason: bill.voidReason,
    refundedTotal: formatMoney(bill.refundedTotal),
    subtotal: formatMoney(bill.subtotal),
    discountTotal: formatMoney(bill.discountTotal),
    taxTotal: formatMoney(bill.taxTotal),
    cashRounding: formatMoney(bill.cashRounding),
    totalAmount: formatMoney(bill.totalAmount),
    changeDue: formatMoney(bill.changeDue),
    taxBreakdown: bill.taxBreakdown,
  };
}

export function billJson(bill: BillWithLines) {
  return {
    ...billSummaryJson(bill),
    payments: bill.payments.map((p) => ({ method: p.method, amount: formatMoney(p.amount), tendered: p.tendered ? formatMoney(p.tendered) : null, change: formatMoney(p.change), reference: p.reference })),
    lines: bill.lines.map((l) => ({
      itemId: l.itemId,
      itemName: l.itemName,
      unit: l.unit,
      unitPrice: formatMoney(l.unitPrice),
      quantity: formatQuantity(l.quantity),
      lineTotal: formatMoney(l.lineTotal),
    })),
  };
}

/** The shop settings as "Label:  value" lines (settings show, the settings menu). */
export function formatSettings(s: ShopSettings): string {
  const rows: [string, string][] = [
    ["Shop name", s.name],
    ["Address", s.address ?? "-"],
    ["Phone", s.phone ?? "-"],
    ["Tax registration no.", s.taxRegistrationNumber ?? "-"],
    ["Currency", s.currency],
    ["Receipt footer", s.receiptFooter ?? "-"],
    ["Prices include tax", s.pricesIncludeTax ? "yes" : "no"],
    ["Tax rounding", s.taxRounding === "PER_LINE" ? "per line" : "per bill, per rate"],
    ["Cash rounding", s.cashRounding === "0.00" ? "none" : s.cashRounding],
    ["Time zone", s.timeZone],
    ["Cashier discount limit", `${s.cashierDiscountLimit.toString()}%`],
    ["Shifts", s.shiftsEnabled ? "on (sales need an open shift)" : "off"],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(24)}${v}`).join("\n");
}
