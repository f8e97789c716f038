// Where printed invoices are kept: `invoices/` in the project root unless
// STORELITE_INVOICE_DIR says otherwise (relative paths are taken from the
// folder the command was started in, even through `npm run`).
import fs from "node:fs";
import path from "node:path";
import type { BillWithLines } from "../domain/bills.ts";
import { projectRoot } from "../env.ts";
import { formatInvoice, invoiceFileName } from "./format.ts";

export function invoiceDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.STORELITE_INVOICE_DIR?.trim();
  if (!configured) return path.join(projectRoot, "invoices");
  // npm runs scripts inside the workspace folder; INIT_CWD is where the user typed the command.
  return path.resolve(env.INIT_CWD ?? process.cwd(), configured);
}

/** Writes the bill's invoice text and returns the file's path. The same bill always gets the same file. */
export function writeInvoice(dir: string, bill: BillWithLines, timeZone?: string): { path: string; text: string } {
  const text = formatInvoice(bill, { timeZone });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, invoiceFileName(bill, timeZone));
  fs.writeFileSync(file, text);
  return { path: file, text };
}
