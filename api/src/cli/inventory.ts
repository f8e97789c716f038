// The "Manage Inventory" menu: add, list, search, update, deactivate items.
// Every answer is checked with the domain's own parsers (and re-asked when bad);
// nothing is written until the last answer of a flow is in.
import { DomainError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { createItem, getItem, setItemActive, updateItem, type Item, type UpdateItemInput } from "../domain/items.ts";
import { Decimal, PRICE, STOCK, STOCK_DELTA, formatMoney, formatQuantity, parseDecimal } from "../domain/money.ts";
import { adjustStock, countStock } from "../domain/stock.ts";
import { CATEGORY, ITEM_NAME, UNIT, parseId, parseText } from "../domain/text.ts";
import { formatItemDetails, formatItemTable } from "./format.ts";
import { askMenu, askValid, askYesNo } from "./prompt.ts";
import { allItems, type Session } from "./session.ts";

export async function inventoryMenu(s: Session): Promise<void> {
  for (;;) {
    const choice = await askMenu(s.io, s.out, "Manage Inventory", [
      "Add new item",
      "List all items",
      "Search item by name",
      "Update item (price / stock / details)",
      "Deactivate item",
      "Back",
    ]);
    if (choice === 6) return;
    try {
      if (choice === 1) await addItem(s);
      else if (choice === 2) await listAll(s);
      else if (choice === 3) await search(s);
      else if (choice === 4) await update(s);
      else await deactivate(s);
    } catch (err) {
      // A refusal from the services (say, a SKU taken meanwhile) ends this action, not the program.
      if (!(err instanceof DomainError)) throw err;
      s.out(`  Not saved: ${err.message}`);
    }
  }
}

const blankToUndefined = (text: string) => (text === "" ? undefined : text);

async function addItem(s: Session) {
  s.out("");
  s.out("Add new item (Ctrl-C to cancel)");
  const name = await askValid(s.io, s.out, "Name: ", "Name", (t) => parseText(t, ["name"], ITEM_NAME)!);
  const category = await askValid(s.io, s.out, "Category (Enter for the default): ", "Category", (t) =>
    t === "" ? undefined : parseText(t, ["category"], CATEGORY)!,
  );
  const unit = await askValid(s.io, s.out, "Unit, e.g. kg, liter, piece (Enter for the default): ", "Unit", (t) =>
    t === "" ? undefined : parseText(t, ["unit"], UNIT)!,
  );
  const unitPrice = await askValid(s.io, s.out, "Unit price: ", "Unit price", (t) => parseDecimal(blankToUndefined(t), ["unitPrice"], PRICE));
  const stockQty = await askValid(s.io, s.out, "Stock on hand (Enter for 0): ", "Stock", (t) =>
    t === "" ? undefined : parseDecimal(t, ["stockQty"], STOCK),
  );
  const item = await createItem(s.ctx, { name, category, unit, unitPrice, stockQty });
  s.out(`Added item ${item.id}: ${item.name} (${item.category}), ${formatMoney(item.unitPrice)} per ${item.unit}, stock ${formatQuantity(item.stockQty)}.`);
}

function showItems(s: Session, items: Item[], none: string) {
  s.out("");
  s.out(items.length ? formatItemTable(items) : none);
}

async function listAll(s: Session) {
  const items = await allItems(s.ctx);
  showItems(s, items, "No active items yet.");
  if (items.length) s.out(`${items.length} item${items.length === 1 ? "" : "s"}.`);
}

async function search(s: Session) {
  const text = (await s.io.ask("Search for (part of a name or SKU): ")).trim();
  const items = await allItems(s.ctx, { search: text });
  showItems(s, items, `No active items match "${text}".`);
}

/** Asks for an item id until it names an existing item; Enter alone returns undefined. */
async function askItem(s: Session, question: string): Promise<Item | undefined> {
  for (;;) {
    const id = await askValid(s.io, s.out, question, "Item ID", (t) => (t === "" ? undefined : parseId(t, ["id"])));
    if (id === undefined) return undefined;
    try {
      return await getItem(s.ctx, id);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      s.out(`  There is no item ${id}. Please try again (Enter to go back).`);
    }
  }
}

type StockAnswer = { kind: "count"; qty: Decimal } | { kind: "adjust"; delta: Decimal };

/** "12" sets the counted stock; "+5" / "-2" adds or removes; both checked by the domain's rules. */
function parseStockAnswer(text: string, current: Decimal): StockAnswer {
  if (/^[+-]/.test(text)) {
    const delta = parseDecimal(text, ["stock"], STOCK_DELTA);
    try {
      parseDecimal(current.add(delta), ["stock"], STOCK);
    } catch (err) {
      if (err instanceof ValidationError) {
        throw ValidationError.one(["stock"], `would become ${formatQuantity(current.add(delta))}, but ${err.fieldErrors[0]!.message}`);
      }
      throw err;
    }
    return { kind: "adjust", delta };
  }
  return { kind: "count", qty: parseDecimal(text, ["stockQty"], STOCK) };
}

async function update(s: Session) {
  const item = await askItem(s, "Item ID to update (Enter to go back): ");
  if (!item) return;
  s.out(formatItemDetails(item));
  s.out("Type a new value, or press Enter to keep the current one.");
  const changes: UpdateItemInput = {};
  const keep = <T>(parse: (t: string) => T) => (t: string) => (t === "" ? undefined : parse(t));

  const name = await askValid(s.io, s.out, `Name [${item.name}]: `, "Name", keep((t) => parseText(t, ["name"], ITEM_NAME)!));
  if (name !== undefined && name !== item.name) changes.name = name;
  const category = await askValid(s.io, s.out, `Category [${item.category}]: `, "Category", keep((t) => parseText(t, ["category"], CATEGORY)!));
  if (category !== undefined && category !== item.category) changes.category = category;
  const unit = await askValid(s.io, s.out, `Unit [${item.unit}]: `, "Unit", keep((t) => parseText(t, ["unit"], UNIT)!));
  if (unit !== undefined && unit !== item.unit) changes.unit = unit;
  const price = await askValid(s.io, s.out, `Unit price [${formatMoney(item.unitPrice)}]: `, "Unit price", keep((t) => parseDecimal(t, ["unitPrice"], PRICE)));
  if (price !== undefined && !price.equals(item.unitPrice)) changes.unitPrice = price;
  const stock = await askValid(
    s.io,
    s.out,
    `Stock [${formatQuantity(item.stockQty)}] (a number sets the counted stock, +N adds, -N removes): `,
    "Stock",
    keep((t) => parseStockAnswer(t, item.stockQty)),
  );

  const stockChanges = stock !== undefined && !(stock.kind === "count" && stock.qty.equals(item.stockQty));
  if (!Object.keys(changes).length && !stockChanges) {
    s.out("Nothing changed.");
    return;
  }
  // Stock goes through the ledger services (one movement row each), never a plain UPDATE.
  let updated = item;
  if (stock?.kind === "adjust") updated = (await adjustStock(s.ctx, { itemId: item.id, delta: stock.delta, note: "Console update" })).item;
  else if (stockChanges && stock?.kind === "count") updated = (await countStock(s.ctx, { itemId: item.id, countedQty: stock.qty, note: "Console update" })).item;
  if (Object.keys(changes).length) updated = await updateItem(s.ctx, item.id, changes);
  s.out("Updated:");
  s.out(formatItemTable([updated]));
}

async function deactivate(s: Session) {
  const item = await askItem(s, "Item ID to deactivate (Enter to go back): ");
  if (!item) return;
  if (!item.isActive) {
    s.out(`${item.name} (item ${item.id}) is already deactivated.`);
    return;
  }
  s.out(formatItemTable([item]));
  if (!(await askYesNo(s.io, s.out, `Deactivate ${item.name}? It stays on old bills but can no longer be sold.`))) {
    s.out("Kept active.");
    return;
  }
  await setItemActive(s.ctx, item.id, false);
  s.out(`Deactivated ${item.name} (item ${item.id}).`);
}
