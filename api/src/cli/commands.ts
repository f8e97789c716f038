// Non-interactive subcommands for scripts (`storelite items list --json`, ...).
// Exit codes: 0 done, 1 refused by the rules (validation, not found, not enough
// stock), 2 usage error, 3 could not run (settings, database, a bug).
import { parseArgs } from "node:util";
import { createBill, getBill } from "../domain/bills.ts";
import type { ServiceContext } from "../domain/context.ts";
import { DomainError, InsufficientStockError, ValidationError, type FieldError } from "../domain/errors.ts";
import { createItem, getItem } from "../domain/items.ts";
import { PERMISSIONS, ROLES } from "../domain/access.ts";
import { createStaff, listStaff } from "../domain/staff.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../domain/tokens.ts";
import type { Prompter } from "./prompt.ts";
import { formatQuantity } from "../domain/money.ts";
import { billJson, formatInvoice, formatItemDetails, formatItemTable, itemJson } from "./format.ts";
import { writeInvoice } from "./invoices.ts";
import { allItems } from "./session.ts";

export const EXIT = { ok: 0, refused: 1, usage: 2, failed: 3, interrupted: 130 } as const;

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
  storelite token create --name NAME --scopes PERM[,PERM...] [--expires DATE] [--json]
  storelite token list [--json]
  storelite token revoke ID
  storelite staff list [--json]
  storelite staff add --name NAME --username USER --role OWNER|MANAGER|CASHIER [--pin PIN]
                      (asks for the new account's password)
  storelite help

Who is working: the menus and every subcommand ask for a username and a PIN
or password, and act with that person's role. Scripts set STORELITE_TOKEN to an
API token (from "storelite token create") instead. Permissions for --scopes:
${PERMISSIONS.join(", ")}.

Options:
  --all       include deactivated items
  --json      print the result as JSON on stdout (errors as JSON on stderr)
  --key       an idempotency key: running the same bill create again with the
              same key returns the first bill instead of selling twice
  --verbose   show database start-up messages on stderr

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
  | { kind: "bill-show"; id: string; json: boolean }
  | { kind: "token-create"; name: string; scopes: string[]; expiresAt?: string; json: boolean }
  | { kind: "token-list"; json: boolean }
  | { kind: "token-revoke"; id: string; json: boolean }
  | { kind: "staff-list"; json: boolean }
  | { kind: "staff-add"; json: boolean; input: { displayName: string; username: string; role: string; pin?: string } };

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
    case "token create": {
      const { values } = usage(() => parseArgs({ args: rest, options: { ...common, name: text, scopes: text, expires: text }, allowPositionals: true, strict: true }), 0);
      if (!values.name) throw new UsageError("--name is required");
      if (!values.scopes) throw new UsageError(`--scopes is required (comma-separated: ${PERMISSIONS.join(",")})`);
      const scopes = values.scopes.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
      return { kind: "token-create", name: values.name, scopes, expiresAt: values.expires, json: Boolean(values.json) };
    }
    case "token list":
    case "staff list": {
      const { values } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 0);
      return { kind: noun === "token" ? "token-list" : "staff-list", json: Boolean(values.json) };
    }
    case "token revoke": {
      const { values, positionals } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 1);
      return { kind: "token-revoke", id: positionals[0]!, json: Boolean(values.json) };
    }
    case "staff add": {
      const { values } = usage(() => parseArgs({ args: rest, options: { ...common, name: text, username: text, role: text, pin: text }, allowPositionals: true, strict: true }), 0);
      if (!values.name || !values.username || !values.role) throw new UsageError("--name, --username and --role are required");
      const role = values.role.toUpperCase();
      if (!ROLES.includes(role as never)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
      return { kind: "staff-add", json: Boolean(values.json), input: { displayName: values.name, username: values.username, role, pin: values.pin } };
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
  /** For commands that ask something (a new account's password). */
  prompt?: () => Prompter;
}

const OPTION_OF: Record<string, string> = {
  name: "--name",
  unitPrice: "--price",
  category: "--category",
  unit: "--unit",
  stockQty: "--stock",
  sku: "--sku",
  customerName: "--customer",
  displayName: "--name",
  username: "--username",
  role: "--role",
  pin: "--pin",
  scopes: "--scopes",
  expiresAt: "--expires",
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

const tokenJson = (t: Awaited<ReturnType<typeof listApiTokens>>[number]) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

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
    case "token-create": {
      const { token, secret } = await createApiToken(ctx, { name: cmd.name, scopes: cmd.scopes, expiresAt: cmd.expiresAt });
      if (cmd.json) io.stdout(json({ ...tokenJson(token), secret }));
      else {
        io.stdout(`Created API token ${token.id} "${token.name}" (${token.scopes.join(", ")}${token.expiresAt ? `, expires ${token.expiresAt.toISOString()}` : ""}).`);
        io.stdout(`Token (shown only now; send it as "Authorization: Bearer <token>"):\n${secret}`);
      }
      return EXIT.ok;
    }
    case "token-list": {
      const tokens = await listApiTokens(ctx);
      if (cmd.json) io.stdout(json(tokens.map(tokenJson)));
      else if (!tokens.length) io.stdout("No API tokens.");
      else {
        for (const t of tokens) {
          const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= new Date() ? "expired" : "active";
          io.stdout(`${String(t.id).padStart(3)}  ${t.prefix}…  ${state.padEnd(7)}  ${t.name}  [${t.scopes.join(",")}]  last used ${t.lastUsedAt?.toISOString() ?? "never"}`);
        }
      }
      return EXIT.ok;
    }
    case "token-revoke": {
      const token = await revokeApiToken(ctx, cmd.id);
      io.stdout(cmd.json ? json(tokenJson(token)) : `Revoked API token ${token.id} "${token.name}"; it stops working at once.`);
      return EXIT.ok;
    }
    case "staff-list": {
      const staff = await listStaff(ctx);
      if (cmd.json) io.stdout(json(staff));
      else for (const s of staff) io.stdout(`${String(s.id).padStart(3)}  ${s.username.padEnd(16)}  ${s.role.padEnd(7)}  ${s.isActive ? "active  " : "disabled"}  ${s.hasPin ? "PIN" : "   "}  ${s.displayName}`);
      return EXIT.ok;
    }
    case "staff-add": {
      if (!io.prompt) throw ValidationError.one(["password"], "cannot be asked for here", "NO_PROMPT");
      const password = await io.prompt().askSecret(`Password for ${cmd.input.username} (at least 8 characters): `);
      const staff = await createStaff(ctx, { ...cmd.input, password });
      io.stdout(cmd.json ? json(staff) : `Added ${staff.role.toLowerCase()} ${staff.displayName} (username ${staff.username}${staff.hasPin ? ", with a PIN" : ""}).`);
      return EXIT.ok;
    }
  }
}
