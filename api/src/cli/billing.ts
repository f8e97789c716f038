// "Create New Bill": build a cart in memory (search, pick, quantity), preview
// it, and only on "y" hand it to the bill service, which sells it in one
// transaction. An idempotency key per cart makes a retried save safe.
import crypto from "node:crypto";
import { createBill, type BillWithLines } from "../domain/bills.ts";
import { DomainError, InsufficientStockError, ItemInactiveError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { getItem, type Item } from "../domain/items.ts";
import { Decimal, QUANTITY, formatMoney, formatQuantity, parseDecimal } from "../domain/money.ts";
import { PERSON_OR_STORE, parseId, parseText } from "../domain/text.ts";
import { cartTotals, formatCart, formatInvoice, formatItemTable, type CartLine } from "./format.ts";
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

  for (;;) {
    if (!cart.length) {
      s.out("The cart is empty; no bill was saved.");
      return;
    }
    s.out("");
    s.out("Bill preview");
    s.out(formatCart(cart));
    if (!(await askYesNo(s.io, s.out, "Confirm and save?"))) {
      s.out("Bill discarded; nothing was saved.");
      return;
    }
    const previewTotal = cartTotals(cart).total;
    const outcome = await save(s, customerName, storeName, cart);
    if (outcome === "discarded") return;
    if (outcome !== "changed") {
      printInvoice(s, outcome);
      // The service prices the sale as it commits; say so if a price changed after the preview.
      if (!outcome.totalAmount.equals(previewTotal)) s.out(`Note: a price changed after the preview; the saved total is ${formatMoney(outcome.totalAmount)}.`);
      return;
    }
    // The cart was corrected after a refusal: preview it again.
  }
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

async function save(s: Session, customerName: string | null, storeName: string | null, cart: CartLine[]): Promise<SaveOutcome> {
  // One key per cart content: a retry after a lost connection returns the bill
  // that may already have been saved instead of selling the goods twice.
  const idempotencyKey = `console-${crypto.randomUUID()}`;
  for (;;) {
    try {
      const { bill } = await createBill(s.ctx, {
        customerName,
        storeName,
        idempotencyKey,
        lines: cart.map((l) => ({ itemId: l.itemId, quantity: l.quantity.toFixed(3) })),
      });
      return bill;
    } catch (err) {
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
      if (err instanceof DomainError) {
        s.out(`Not saved: ${err.message}`);
        return "discarded";
      }
      s.out(`Could not save the bill: ${err instanceof Error ? err.message : String(err)}`);
      if (!(await askYesNo(s.io, s.out, "Try again? (a retry never saves the same bill twice)"))) {
        s.out("Not retried. If the bill was saved after all, it is in the bill list.");
        return "discarded";
      }
    }
  }
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
