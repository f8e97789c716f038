// The "Shop Settings" menu: view and edit the shop's settings, add and change
// tax rates, and set a category's default rate or an item's own rate, through
// the same domain functions as `storelite settings ...`, GraphQL and REST.
// Answers are sent to the domain once all are in; whatever it refuses is
// named and asked again, so nothing half-edited is ever saved.
import { DomainError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { getShopSettings, updateShopSettings, type ShopSettings, type UpdateShopSettingsInput } from "../domain/settings.ts";
import {
  createTaxRate,
  getTaxRate,
  listCategoryTaxRates,
  listTaxRates,
  setCategoryTaxRate,
  setItemTaxRate,
  updateTaxRate,
  type TaxRate,
} from "../domain/tax-rates.ts";
import { parseId } from "../domain/text.ts";
import { formatSettings, formatTable } from "./format.ts";
import { askMenu, askValid } from "./prompt.ts";
import type { Session } from "./session.ts";

export async function settingsMenu(s: Session): Promise<void> {
  for (;;) {
    const choice = await askMenu(s.io, s.out, "Shop Settings", [
      "Show settings",
      "Edit shop details (name, address, receipt)",
      "Edit pricing rules (tax, rounding, time zone, discount limit)",
      "List tax rates and category defaults",
      "Add tax rate",
      "Change tax rate",
      "Set a category's default tax rate",
      "Set an item's own tax rate",
      "Back",
    ]);
    if (choice === 9) return;
    try {
      if (choice === 1) await show(s);
      else if (choice === 2) await editSettings(s, DETAILS);
      else if (choice === 3) await editSettings(s, PRICING);
      else if (choice === 4) await listRates(s);
      else if (choice === 5) await addRate(s);
      else if (choice === 6) await changeRate(s);
      else if (choice === 7) await setCategoryRate(s);
      else await setItemRate(s);
    } catch (err) {
      // A refusal from the services (a permission, a rate deactivated meanwhile) ends this action, not the program.
      if (!(err instanceof DomainError)) throw err;
      s.out(`  Not saved: ${err.message}`);
    }
  }
}

/** One question of a form: what it sets, how it is asked, and how an answer becomes the domain's input. */
interface Question<K extends string> {
  key: K;
  label: string;
  /** The current value as shown in [brackets]; undefined: a new record, nothing to keep. */
  current?: string;
  hint?: string;
  /** A typed answer → the input value; undefined keeps the current value. "" is passed on for the domain to judge. */
  read?: (text: string) => unknown;
  /** "-" clears it (a value that may be empty). */
  clearable?: boolean;
}

const yesNo = (text: string) => {
  const t = text.toLowerCase();
  return t === "y" || t === "yes" ? true : t === "n" || t === "no" ? false : text; // anything else: the domain says "must be true or false"
};

/**
 * Asks every question, sends the answers with `save`, and when the domain
 * refuses some fields, says why and asks only those again. Enter keeps a
 * current value; on a new record it sends "" (so a required field says so).
 */
async function askAndSave<K extends string, T>(s: Session, questions: Question<K>[], save: (input: Partial<Record<K, unknown>>) => Promise<T>): Promise<T> {
  const input: Partial<Record<K, unknown>> = {};
  let asking = questions;
  for (;;) {
    for (const q of asking) {
      const keep = q.current !== undefined;
      const shown = keep ? ` [${q.current}]` : "";
      const text = (await s.io.ask(`${q.label}${q.hint ? ` (${q.hint})` : ""}${shown}: `)).trim();
      if (text === "" && keep) delete input[q.key];
      else if (text === "-" && q.clearable) input[q.key] = null;
      else input[q.key] = q.read ? q.read(text) : text;
    }
    try {
      return await save(input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const refused = new Set(err.fieldErrors.map((f) => String(f.path[0])));
      asking = questions.filter((q) => refused.has(q.key));
      if (!asking.length) throw err;
      for (const f of err.fieldErrors) s.out(`  ${questions.find((q) => q.key === f.path[0])?.label ?? String(f.path[0])} ${f.message}.`);
      s.out("  Please try again.");
    }
  }
}

type SettingsKey = keyof UpdateShopSettingsInput & string;
type SettingsQuestions = (current: ShopSettings) => Question<SettingsKey>[];

const orDash = (v: string | null) => v ?? "-";

const DETAILS: SettingsQuestions = (c) => [
  { key: "name", label: "Shop name", current: c.name },
  { key: "address", label: "Address", current: orDash(c.address), clearable: true },
  { key: "phone", label: "Phone", current: orDash(c.phone), clearable: true },
  { key: "taxRegistrationNumber", label: "Tax registration no.", current: orDash(c.taxRegistrationNumber), clearable: true },
  { key: "currency", label: "Currency", hint: "ISO 4217 code, e.g. PKR", current: c.currency },
  { key: "receiptFooter", label: "Receipt footer", current: orDash(c.receiptFooter), clearable: true },
];

const PRICING: SettingsQuestions = (c) => [
  { key: "pricesIncludeTax", label: "Prices include tax", hint: "y/n", current: c.pricesIncludeTax ? "y" : "n", read: yesNo },
  {
    key: "taxRounding",
    label: "Tax rounding",
    hint: "1 per line, 2 per bill per rate",
    current: c.taxRounding === "PER_LINE" ? "1" : "2",
    read: (t) => (t === "1" ? "PER_LINE" : t === "2" ? "PER_BILL_PER_RATE" : t.toUpperCase()),
  },
  { key: "cashRounding", label: "Cash rounding", hint: "none, 0.05, 0.10, 0.50 or 1.00", current: c.cashRounding === "0.00" ? "none" : c.cashRounding, read: (t) => (t.toLowerCase() === "none" ? "0.00" : t) },
  { key: "timeZone", label: "Time zone", hint: "e.g. Asia/Karachi", current: c.timeZone },
  { key: "cashierDiscountLimit", label: "Cashier discount limit %", current: c.cashierDiscountLimit.toString() },
];

async function show(s: Session) {
  s.out("");
  s.out(formatSettings(await getShopSettings(s.ctx)));
}

async function editSettings(s: Session, questions: SettingsQuestions) {
  const current = await getShopSettings(s.ctx);
  s.out("Type a new value, press Enter to keep the current one, or - to clear it.");
  const saved = await askAndSave(s, questions(current), (input) => updateShopSettings(s.ctx, input));
  s.out("Saved:");
  s.out(formatSettings(saved));
}

function rateTable(rates: TaxRate[]): string {
  return formatTable(
    [{ header: "ID", align: "right" }, { header: "Name" }, { header: "Percent", align: "right" }, { header: "Active" }],
    rates.map((r) => [String(r.id), r.name, `${r.percent.toString()}%`, r.isActive ? "yes" : "no"]),
  );
}

async function listRates(s: Session) {
  const [rates, categories] = await Promise.all([listTaxRates(s.ctx, { includeInactive: true }), listCategoryTaxRates(s.ctx)]);
  s.out("");
  s.out(rates.length ? rateTable(rates) : "No tax rates yet.");
  s.out("");
  s.out(
    categories.length
      ? `Category defaults:\n${categories.map((c) => `  ${c.category}: ${c.taxRate.name} (${c.taxRate.percent.toString()}%)${c.taxRate.isActive ? "" : " — inactive, not applied"}`).join("\n")}`
      : "No category has a default rate.",
  );
}

async function addRate(s: Session) {
  s.out("");
  s.out("Add tax rate (Ctrl-C to cancel)");
  const rate = await askAndSave(
    s,
    [
      { key: "name", label: "Name", hint: "e.g. GST" },
      { key: "percent", label: "Percent", hint: "up to 3 decimals, 0 for zero-rated" },
    ],
    (input) => createTaxRate(s.ctx, { name: input.name, percent: input.percent }),
  );
  s.out(`Added tax rate ${rate.id}: ${rate.name} ${rate.percent.toString()}%.`);
}

/** Asks for a tax rate id until it names one; Enter alone returns undefined. */
async function askRate(s: Session, question: string): Promise<TaxRate | undefined> {
  for (;;) {
    const id = await askValid(s.io, s.out, question, "Tax rate ID", (t) => (t === "" ? undefined : parseId(t, ["id"])));
    if (id === undefined) return undefined;
    try {
      return await getTaxRate(s.ctx, id);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      s.out(`  There is no tax rate ${id}. Please try again (Enter to go back).`);
    }
  }
}

async function changeRate(s: Session) {
  const rate = await askRate(s, "Tax rate ID to change (Enter to go back): ");
  if (!rate) return;
  s.out("Type a new value, or press Enter to keep the current one. Old bills keep the name and percent they were sold with.");
  const saved = await askAndSave(
    s,
    [
      { key: "name", label: "Name", current: rate.name },
      { key: "percent", label: "Percent", current: rate.percent.toString() },
      { key: "isActive", label: "Active", hint: "y/n", current: rate.isActive ? "y" : "n", read: yesNo },
    ],
    (input) => updateTaxRate(s.ctx, rate.id, input),
  );
  s.out("Saved:");
  s.out(rateTable([saved]));
}

/** A tax rate id, or "none" (null) to take the rate away. */
const rateOrNone = (hint: string): Question<"taxRateId"> => ({ key: "taxRateId", label: "Tax rate ID", hint, read: (t) => (t.toLowerCase() === "none" ? null : t) });

async function setCategoryRate(s: Session) {
  s.out("Items of the category (any case) get this rate unless they have their own.");
  const result = await askAndSave(s, [{ key: "category", label: "Category" }, rateOrNone("none removes the default")], (input) =>
    setCategoryTaxRate(s.ctx, { category: input.category, taxRateId: input.taxRateId }),
  );
  s.out(result.length ? `Category defaults now:\n${result.map((c) => `  ${c.category}: ${c.taxRate.name} (${c.taxRate.percent.toString()}%)`).join("\n")}` : "No category has a default rate now.");
}

async function setItemRate(s: Session) {
  s.out("An item's own rate overrides its category's; none returns it to its category's rate.");
  const result = await askAndSave(s, [{ key: "itemId", label: "Item ID" }, rateOrNone("none for the category's rate")], (input) =>
    setItemTaxRate(s.ctx, { itemId: input.itemId, taxRateId: input.taxRateId }),
  );
  s.out(result.taxRateId === null ? `Item ${result.itemId} now takes its category's rate.` : `Item ${result.itemId} now has tax rate ${result.taxRateId}.`);
}
