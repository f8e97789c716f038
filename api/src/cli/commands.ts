// Non-interactive subcommands for scripts (`storelite items list --json`, ...).
// Exit codes: 0 done, 1 refused by the rules (validation, not found, not enough
// stock), 2 usage error, 3 could not run (settings, database, a bug).
import { parseArgs } from "node:util";
import { createBill, getBill } from "../domain/bills.ts";
import type { ServiceContext } from "../domain/context.ts";
import { DomainError, InsufficientStockError, ValidationError, type FieldError } from "../domain/errors.ts";
import { createItem, getItem } from "../domain/items.ts";
import { formatQuantity } from "../domain/money.ts";
import { billJson, formatInvoice, formatItemDetails, formatItemTable, itemJson } from "./format.ts";
import { writeInvoice } from "./invoices.ts";
import { allItems } from "./session.ts";

export const EXIT = { ok: 0, refused: 1, usage: 2, failed: 3, interrupted: 130 } as const;

export const SERVICE_USAGE = `  storelite service install [--user | --system] [--as USER] [--no-start] [--print]
  storelite service uninstall [--user | --system]
  storelite service status [--user | --system]`;

export const USAGE = `StoreLite console program

Usage:
  storelite                               interactive menus (inventory and billing)
  storelite items list [--search TEXT] [--category NAME] [--all] [--json]
  storelite items show ID [--json]
  storelite items add --name NAME --price PRICE [--category NAME] [--unit UNIT]
                      [--stock QTY] [--sku CODE] [--json]
  storelite bill create --item ID=QTY [--item ID=QTY ...] [--customer NAME]
                      [--store NAME] [--key IDEMPOTENCY_KEY] [--json]
  storelite bill show ID [--json]
${SERVICE_USAGE}
  storelite help

Options:
  --all       include deactivated items
  --json      print the result as JSON on stdout (errors as JSON on stderr)
  --key       an idempotency key: running the same bill create again with the
              same key returns the first bill instead of selling twice
  --verbose   show database start-up messages on stderr
  service     StoreLite started at boot by systemd and restarted if it fails
              (a system service as root, else --user; --print shows the unit)

Exit codes: 0 ok, 1 refused (validation, not found, not enough stock),
2 usage error, 3 could not run (settings, database), 130 interrupted.
Invoices from "bill create" are written to STORELITE_INVOICE_DIR (default: invoices/).`;

export class UsageError extends Error {}

export type Command =
  | { kind: "help" }
  | { kind: "items-list"; search?: string; category?: string; all: boolean; json: boolean }
  | { kind: "items-show"; id: string; json: boolean }
  | {
      kind: "items-add";
      json: boolean;
      input: { name: string; unitPrice: string; category?: string; unit?: string; stockQty?: string; sku?: string };
    }
  | {
      kind: "bill-create";
      json: boolean;
      customerName?: string;
      storeName?: string;
      idempotencyKey?: string;
      /** As typed, for messages: "5=1.5". */
      itemArgs: string[];
      lines: { itemId: string; quantity: string }[];
    }
  | { kind: "bill-show"; id: string; json: boolean };

const common = { json: { type: "boolean" }, verbose: { type: "boolean" } } as const;
const text = { type: "string" } as const;
const flag = { type: "boolean" } as const;

/** Runs node's parseArgs, turning its complaints into usage errors, and checks the positional count. */
function usage<T extends { positionals: string[] }>(parse: () => T, positionals: number): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals ? `expected ${positionals} argument(s), got ${parsed.positionals.length}` : `unexpected argument "${parsed.positionals[0]}"`,
    );
  }
  return parsed;
}

/** Reads argv (after the program name) into a command; throws UsageError. */
export function parseCommand(argv: string[]): Command {
  const [noun, verb, ...rest] = argv;
  if (noun === undefined || noun === "help" || noun === "--help" || noun === "-h") return { kind: "help" };
  const what = `${noun} ${verb ?? ""}`.trim();
  switch (what) {
    case "items list": {
      const { values } = usage(
        () => parseArgs({ args: rest, options: { ...common, search: text, category: text, all: flag }, allowPositionals: true, strict: true }),
        0,
      );
      return { kind: "items-list", search: values.search, category: values.category, all: Boolean(values.all), json: Boolean(values.json) };
    }
    case "items show":
    case "bill show": {
      const { values, positionals } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 1);
      return { kind: noun === "items" ? "items-show" : "bill-show", id: positionals[0]!, json: Boolean(values.json) };
    }
    case "items add": {
      const options = { ...common, name: text, price: text, category: text, unit: text, stock: text, sku: text };
      const { values } = usage(() => parseArgs({ args: rest, options, allowPositionals: true, strict: true }), 0);
      if (values.name === undefined) throw new UsageError("--name is required");
      if (values.price === undefined) throw new UsageError("--price is required");
      return {
        kind: "items-add",
        json: Boolean(values.json),
        input: { name: values.name, unitPrice: values.price, category: values.category, unit: values.unit, stockQty: values.stock, sku: values.sku },
      };
    }
    case "bill create": {
      const options = { ...common, item: { type: "string", multiple: true }, customer: text, store: text, key: text } as const;
      const { values } = usage(() => parseArgs({ args: rest, options, allowPositionals: true, strict: true }), 0);
      const itemArgs = values.item ?? [];
      if (!itemArgs.length) throw new UsageError("at least one --item ID=QTY is required");
      const lines = itemArgs.map((arg) => {
        const m = /^([^=]*)=(.*)$/.exec(arg);
        if (!m) throw new UsageError(`--item ${arg}: expected ID=QTY, e.g. --item 5=1.5`);
        return { itemId: m[1]!.trim(), quantity: m[2]!.trim() };
      });
      return {
        kind: "bill-create",
        json: Boolean(values.json),
        customerName: values.customer,
        storeName: values.store,
        idempotencyKey: values.key,
        itemArgs,
        lines,
      };
    }
    default:
      throw new UsageError(`unknown command "${what}"`);
  }
}

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  invoiceDir: string;
  timeZone?: string;
}

const OPTION_OF: Record<string, string> = {
  name: "--name",
  unitPrice: "--price",
  category: "--category",
  unit: "--unit",
  stockQty: "--stock",
  sku: "--sku",
  customerName: "--customer",
  storeName: "--store",
  idempotencyKey: "--key",
};

/** Names a field error after the option the user typed. */
function fieldLabel(cmd: Command, path: FieldError["path"]): string {
  if (cmd.kind === "bill-create" && path[0] === "lines" && typeof path[1] === "number") {
    return `--item ${cmd.itemArgs[path[1]] ?? ""}${path[2] ? ` (${path[2] === "itemId" ? "item id" : path[2]})` : ""}`;
  }
  if ((cmd.kind === "items-show" || cmd.kind === "bill-show") && path[0] === "id") return "ID";
  return OPTION_OF[String(path[0])] ?? path.join(".");
}

function errorJson(cmd: Command, err: DomainError) {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err instanceof ValidationError ? { fieldErrors: err.fieldErrors.map((f) => ({ ...f, option: fieldLabel(cmd, f.path) })) } : {}),
      ...(err instanceof InsufficientStockError
        ? {
            shortages: err.shortages.map((s) => ({
              itemId: s.itemId,
              itemName: s.itemName,
              unit: s.unit,
              requested: formatQuantity(s.requested),
              available: formatQuantity(s.available),
            })),
          }
        : {}),
    },
  };
}

function describe(cmd: Command, err: DomainError): string {
  if (err instanceof ValidationError) return err.fieldErrors.map((f) => `${fieldLabel(cmd, f.path)}: ${f.message}`).join("\n");
  return err.message;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Runs one parsed command; returns the exit code. Unexpected errors are thrown. */
export async function runCommand(cmd: Command, ctx: ServiceContext, io: CommandIO): Promise<number> {
  try {
    return await execute(cmd, ctx, io);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const asJson = "json" in cmd && cmd.json;
    io.stderr(asJson ? JSON.stringify(errorJson(cmd, err)) : `storelite: ${describe(cmd, err)}`);
    return EXIT.refused;
  }
}

async function execute(cmd: Command, ctx: ServiceContext, io: CommandIO): Promise<number> {
  switch (cmd.kind) {
    case "help":
      io.stdout(USAGE);
      return EXIT.ok;
    case "items-list": {
      const items = await allItems(ctx, { search: cmd.search, category: cmd.category, includeInactive: cmd.all });
      if (cmd.json) io.stdout(json(items.map(itemJson)));
      else io.stdout(items.length ? formatItemTable(items) : "No items match.");
      return EXIT.ok;
    }
    case "items-show": {
      const item = await getItem(ctx, cmd.id);
      io.stdout(cmd.json ? json(itemJson(item)) : formatItemDetails(item));
      return EXIT.ok;
    }
    case "items-add": {
      const item = await createItem(ctx, cmd.input);
      io.stdout(cmd.json ? json(itemJson(item)) : `Added item ${item.id}.\n${formatItemTable([item])}`);
      return EXIT.ok;
    }
    case "bill-create": {
      const { bill, replayed } = await createBill(ctx, {
        customerName: cmd.customerName,
        storeName: cmd.storeName,
        idempotencyKey: cmd.idempotencyKey,
        lines: cmd.lines,
      });
      let invoiceFile: string | null = null;
      try {
        invoiceFile = writeInvoice(io.invoiceDir, bill, io.timeZone).path;
      } catch (err) {
        io.stderr(`storelite: bill ${bill.id} is saved, but its invoice file could not be written: ${(err as Error).message}`);
      }
      if (cmd.json) io.stdout(json({ ...billJson(bill), replayed, invoiceFile }));
      else {
        io.stdout(formatInvoice(bill, { timeZone: io.timeZone }).trimEnd());
        if (replayed) io.stdout(`(bill ${bill.id} was already saved with this key; nothing was sold again)`);
        if (invoiceFile) io.stdout(`Invoice saved to ${invoiceFile}`);
      }
      return EXIT.ok;
    }
    case "bill-show": {
      const bill = await getBill(ctx, cmd.id);
      io.stdout(cmd.json ? json(billJson(bill)) : formatInvoice(bill, { timeZone: io.timeZone }).trimEnd());
      return EXIT.ok;
    }
  }
}
