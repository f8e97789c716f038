// "Create New Bill": build a cart in memory (search, pick, quantity), take
// optional discounts, preview it as the server prices it (previewBill: tax,
// discounts), take the payment (cash tendered → change, card, or split) and
// only then hand it to the bill service, which sells it in one transaction.
// An idempotency key per cart makes a retried save safe.
import crypto from "node:crypto";
import { createBill, previewBill, type BillPreview, type BillWithLines } from "../domain/bills.ts";
import { DomainError, InsufficientStockError, ItemInactiveError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { parseDiscount as parseDiscountInput } from "../domain/sale.ts";
import { Problems } from "../domain/errors.ts";
import { DiscountApprovalRequiredError, TotalChangedError } from "../domain/totals-errors.ts";
import { getItem, type Item } from "../domain/items.ts";
import { Decimal, QUANTITY, formatMoney, formatQuantity, parseDecimal } from "../domain/money.ts";
import { PERSON_OR_STORE, parseId, parseText } from "../domain/text.ts";
import { formatInvoice, formatItemTable, formatPreview, type CartLine } from "./format.ts";
import { writeInvoice } from "./invoices.ts";
import { askValid, askYesNo, explain } from "./prompt.ts";
import { allItems, type Session } from "./session.ts";

const SHOW_MATCHES = 20;

export async function createBillFlow(s: Session): Promise<void> {
  s.out("");
  s.out("New bill. Nothing is saved until you confirm; Ctrl-C cancels.");
  const customerName = await askValid(s.io, s.out, "Customer name (optional): ", "Customer name", (t) => parseText(t, ["customerName"], PERSON_OR_STORE));
  const storeName = await askValid(s.io, s.out, "Store name (optional): ", "Store name", (t) => parseText(t, ["storeName"], PERSON_OR_STORE));

  const cart: CartLine[] = [];
  do {
    await addLine(s, cart);
  } while (await askYesNo(s.io, s.out, "Add another item?"));

  await askLineDiscounts(s, cart);
  const billDiscount = await askDiscount(s, "Bill discount (e.g. 10% or 50.00; Enter for none): ", ["billDiscount"]);

  for (;;) {
    if (!cart.length) {
      s.out("The cart is empty; no bill was saved.");
      return;
    }
    const input = saleInput(customerName, storeName, cart, billDiscount);
    let preview: BillPreview;
    try {
      preview = await previewBill(s.ctx, input);
    } catch (err) {
      const outcome = await refused(s, cart, err);
      if (outcome === "changed") continue;
      return;
    }
    s.out("");
    s.out("Bill preview");
    s.out(formatPreview(preview));
    if (preview.discountApprovalRequired) {
      s.out(`The discount (${preview.discountPercent}%) is above your limit of ${preview.discountLimitPercent}%: a manager or the owner approves it with their PIN when you save.`);
    }
    if (!(await askYesNo(s.io, s.out, "Confirm and save?"))) {
      s.out("Bill discarded; nothing was saved.");
      return;
    }
    const { payments, expectedTotal } = await askPayment(s, input, preview);
    const outcome = await save(s, { ...input, payments, expectedTotal }, cart);
    if (outcome === "discarded") return;
    if (outcome !== "changed") {
      printInvoice(s, outcome);
      return;
    }
    // The cart or its prices changed after a refusal: preview it again.
  }
}

type SaleInput = Parameters<typeof createBill>[1];

function saleInput(customerName: string | null, storeName: string | null, cart: CartLine[], billDiscount: CartLine["discount"]): SaleInput {
  return {
    customerName,
    storeName,
    lines: cart.map((l) => ({ itemId: l.itemId, quantity: l.quantity.toFixed(3), discount: l.discount ?? null })),
    billDiscount,
  };
}

/** "10%" → a percent discount, "50" → an amount, "" → none; checked by the same rules as the API. */
async function askDiscount(s: Session, question: string, path: (string | number)[]): Promise<CartLine["discount"]> {
  for (;;) {
    const text = (await s.io.ask(question)).trim();
    if (!text) return null;
    const kind = text.endsWith("%") ? "PERCENT" : "AMOUNT";
    const value = text.replace(/%$/, "").trim();
    const p = new Problems();
    const parsed = parseDiscountInput({ kind, value }, path, p);
    if (parsed) return { kind, value };
    s.out(`  ${p.list.map((e) => e.message).join("; ")}. Please try again.`);
  }
}

async function askLineDiscounts(s: Session, cart: CartLine[]): Promise<void> {
  for (;;) {
    const n = await askValid(s.io, s.out, "Discount a line? Line number (Enter for none): ", "Line number", (t) => {
      if (t === "") return undefined;
      const i = parseId(t, ["line"]);
      if (i > cart.length) throw ValidationError.one(["line"], `must be between 1 and ${cart.length}`, "OUT_OF_RANGE");
      return i;
    });
    if (n === undefined) return;
    const line = cart[n - 1]!;
    line.discount = await askDiscount(s, `Discount on ${line.name} (e.g. 10% or 25.00; Enter for none): `, ["lines", n - 1, "discount"]);
  }
}

/**
 * Cash tendered → change, a card, or both. What cash still has to cover is
 * priced by the server (previewBill with the card part first), so cash
 * rounding and change come from the same totals module the bill uses.
 */
async function askPayment(s: Session, input: SaleInput, preview: BillPreview): Promise<{ payments: SaleInput["payments"]; expectedTotal: string }> {
  const choice = await askValid(s.io, s.out, "Payment: 1 cash, 2 card, 3 card + cash (Enter = cash): ", "Payment", (t) => {
    if (t === "" || t === "1") return "cash" as const;
    if (t === "2") return "card" as const;
    if (t === "3") return "split" as const;
    throw ValidationError.one(["payment"], "must be 1, 2 or 3", "INVALID_VALUE");
  });
  // Without cash there is no cash rounding: a card pays the total before it.
  const beforeRounding = formatMoney(preview.totalAmount.sub(preview.cashRounding));
  const payments: { method: "CASH" | "CARD"; amount: string; reference?: string | null }[] = [];
  if (choice !== "cash") {
    const amount =
      choice === "card"
        ? beforeRounding
        : await askValid(s.io, s.out, `Card amount (up to ${beforeRounding}): `, "Card amount", (t) => formatMoney(parseDecimal(t, ["amount"], { places: 2, max: beforeRounding, min: "positive" })));
    const reference = (await s.io.ask("Card reference, e.g. last 4 digits (optional): ")).trim() || null;
    payments.push({ method: "CARD", amount, reference });
  }
  if (choice === "card") return { payments, expectedTotal: beforeRounding };
  const rest = choice === "cash" ? preview : await previewBill(s.ctx, { ...input, payments: [...payments, { method: "CASH", amount: "9999999999.99" }] });
  const due = rest.payments.at(-1)?.amount ?? new Decimal(0);
  const tendered = await askValid(s.io, s.out, `Cash tendered (Enter = exactly ${formatMoney(due)}): `, "Cash tendered", (t) =>
    t === "" ? null : parseDecimal(t, ["amount"], { places: 2, max: "9999999999.99", min: "positive" }),
  );
  if (tendered && tendered.lessThan(due)) s.out(`  That is ${formatMoney(due.sub(tendered))} short; the bill will not be saved.`);
  if (tendered && tendered.greaterThan(due)) s.out(`  Change due: ${formatMoney(tendered.sub(due))}`);
  if (tendered || due.greaterThan(0)) payments.push({ method: "CASH", amount: formatMoney(tendered ?? due) });
  return { payments, expectedTotal: formatMoney(rest.totalAmount) };
}

/** Search → pick an item → quantity, until one line is in the cart. */
async function addLine(s: Session, cart: CartLine[]): Promise<void> {
  for (;;) {
    const text = (await s.io.ask("Search item (part of the name or SKU): ")).trim();
    const matches = await allItems(s.ctx, { search: text }, SHOW_MATCHES + 1);
    if (!matches.length) {
      s.out(`  No active items match "${text}". Try another search.`);
      continue;
    }
    s.out(formatItemTable(matches.slice(0, SHOW_MATCHES)));
    if (matches.length > SHOW_MATCHES) s.out(`(showing the first ${SHOW_MATCHES}; type more of the name to narrow it down)`);

    const item = await pickItem(s);
    if (!item) continue;
    const line = cart.find((l) => l.itemId === item.id);
    const inCart = line?.quantity ?? new Decimal(0);
    const available = item.stockQty.sub(inCart);
    const already = inCart.isZero() ? "" : ` (${formatQuantity(inCart)} already in the cart)`;
    if (!available.greaterThan(0)) {
      s.out(`  No ${item.name} left to sell${already}. Choose another item.`);
      continue;
    }
    const quantity = await askQuantity(s, item, available, already);
    if (line) {
      line.quantity = line.quantity.add(quantity);
      line.unitPrice = item.unitPrice;
    } else cart.push({ itemId: item.id, name: item.name, unit: item.unit, unitPrice: item.unitPrice, quantity });
    s.out(`  Added ${formatQuantity(quantity)} ${item.unit} of ${item.name}.`);
    return;
  }
}

/** An active item's id; Enter alone means "search again". */
async function pickItem(s: Session): Promise<Item | undefined> {
  for (;;) {
    const id = await askValid(s.io, s.out, "Item ID (Enter to search again): ", "Item ID", (t) => (t === "" ? undefined : parseId(t, ["itemId"])));
    if (id === undefined) return undefined;
    try {
      const item = await getItem(s.ctx, id);
      if (item.isActive) return item;
      s.out(`  ${item.name} (item ${id}) is deactivated and cannot be sold. Please choose another.`);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      s.out(`  There is no item ${id}. Please try again.`);
    }
  }
}

/** A quantity the domain accepts (fractions for kg/liter) that does not exceed what is available. */
async function askQuantity(s: Session, item: Item, available: Decimal, already: string): Promise<Decimal> {
  for (;;) {
    const text = (await s.io.ask(`Quantity in ${item.unit} (available ${formatQuantity(available)}): `)).trim();
    let quantity: Decimal;
    try {
      quantity = parseDecimal(text === "" ? undefined : text, ["quantity"], QUANTITY);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      s.out(`  ${explain("Quantity", err)} Please try again.`);
      continue;
    }
    if (quantity.lessThanOrEqualTo(available)) return quantity;
    s.out(`  Only ${formatQuantity(available)} ${item.unit} of ${item.name} available${already}. Please enter a smaller quantity.`);
  }
}

type SaveOutcome = BillWithLines | "changed" | "discarded";

/** A refusal while pricing or saving: fix the cart and preview again ("changed"), or give up ("discarded"). */
async function refused(s: Session, cart: CartLine[], err: unknown): Promise<"changed" | "discarded" | undefined> {
  if (err instanceof InsufficientStockError) {
    s.out("Not saved: another sale took some of the stock meanwhile.");
    for (const short of err.shortages) await fixShortLine(s, cart, short.itemId, short.itemName, short.unit, short.available);
    return "changed";
  }
  if (err instanceof ItemInactiveError || err instanceof NotFoundError) {
    const gone = err instanceof ItemInactiveError ? err.itemId : err.id;
    s.out(`Not saved: ${err.message}. It was removed from the cart.`);
    const index = cart.findIndex((l) => l.itemId === gone);
    if (index >= 0) cart.splice(index, 1);
    return "changed";
  }
  if (err instanceof TotalChangedError) {
    s.out(`Not saved: ${err.message}.`);
    return "changed";
  }
  if (err instanceof DomainError) {
    s.out(`Not saved: ${err.message}`);
    return "discarded";
  }
  return undefined;
}

async function save(s: Session, input: SaleInput, cart: CartLine[]): Promise<SaveOutcome> {
  // One key per cart content: a retry after a lost connection returns the bill
  // that may already have been saved instead of selling the goods twice.
  const idempotencyKey = `console-${crypto.randomUUID()}`;
  let approval: { username: string; pin: string } | undefined;
  for (;;) {
    try {
      const { bill } = await createBill(s.ctx, { ...input, idempotencyKey, ...(approval ? { approval } : {}) });
      return bill;
    } catch (err) {
      if (err instanceof DiscountApprovalRequiredError) {
        // Nothing was sold: a manager approves on the spot (the domain checks the PIN and the role), or the bill is dropped.
        s.out(`Not saved yet: ${err.message}.`);
        approval = await askApproval(s);
        if (approval) continue;
        s.out("Bill discarded; nothing was saved.");
        return "discarded";
      }
      const outcome = await refused(s, cart, err);
      if (outcome) return outcome;
      s.out(`Could not save the bill: ${err instanceof Error ? err.message : String(err)}`);
      if (!(await askYesNo(s.io, s.out, "Try again? (a retry never saves the same bill twice)"))) {
        s.out("Not retried. If the bill was saved after all, it is in the bill list.");
        return "discarded";
      }
    }
  }
}

/** A manager's username and PIN (never echoed); Enter at the username gives up. */
async function askApproval(s: Session): Promise<{ username: string; pin: string } | undefined> {
  const username = (await s.io.ask("Manager username to approve (Enter to cancel the bill): ")).trim();
  if (!username) return undefined;
  const pin = await s.io.askSecret("Manager PIN: ");
  return { username, pin };
}

async function fixShortLine(s: Session, cart: CartLine[], itemId: number, name: string, unit: string, available: Decimal) {
  const index = cart.findIndex((l) => l.itemId === itemId);
  if (index < 0) return;
  if (!available.greaterThan(0)) {
    s.out(`  ${name} is sold out now; removed from the cart.`);
    cart.splice(index, 1);
    return;
  }
  s.out(`  Only ${formatQuantity(available)} ${unit} of ${name} is left.`);
  for (;;) {
    const text = (await s.io.ask(`  New quantity for ${name} (up to ${formatQuantity(available)}; 0 removes it): `)).trim();
    if (text === "0") {
      cart.splice(index, 1);
      return;
    }
    try {
      const quantity = parseDecimal(text === "" ? undefined : text, ["quantity"], QUANTITY);
      if (quantity.lessThanOrEqualTo(available)) {
        cart[index]!.quantity = quantity;
        return;
      }
      s.out(`  Only ${formatQuantity(available)} ${unit} available.`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      s.out(`  ${explain("Quantity", err)} Please try again.`);
    }
  }
}

function printInvoice(s: Session, bill: BillWithLines) {
  s.out("");
  s.out(`Saved bill ${bill.id}.`);
  s.out(formatInvoice(bill, { timeZone: s.timeZone }).trimEnd());
  try {
    s.out(`Invoice saved to ${writeInvoice(s.invoiceDir, bill, s.timeZone).path}`);
  } catch (err) {
    s.out(`The bill is saved, but its invoice file could not be written: ${err instanceof Error ? err.message : String(err)}`);
  }
}
