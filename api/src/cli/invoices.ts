// Where printed invoices are kept: `invoices/` in the project root unless
// STORELITE_INVOICE_DIR says otherwise (relative paths are taken from the
// folder the command was started in, even through `npm run`).
import fs from "node:fs";
import path from "node:path";
import type { BillWithLines } from "../domain/bills.ts";
import type { ReturnWithLines } from "../domain/returns.ts";
import { projectRoot } from "../env.ts";
import { formatInvoice, formatReturnSlip, invoiceFileName, returnSlipFileName } from "./format.ts";

export function invoiceDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.STORELITE_INVOICE_DIR?.trim();
  if (!configured) return path.join(projectRoot, "invoices");
  // npm runs scripts inside the workspace folder; INIT_CWD is where the user typed the command.
  return path.resolve(env.INIT_CWD ?? process.cwd(), configured);
}

function writeSlip(dir: string, name: string, text: string): { path: string; text: string } {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { path: file, text };
}

/** Writes the bill's invoice text and returns the file's path. The same bill always gets the same file (a void reprints it as VOID). */
export function writeInvoice(dir: string, bill: BillWithLines, timeZone?: string): { path: string; text: string } {
  return writeSlip(dir, invoiceFileName(bill, timeZone), formatInvoice(bill, { timeZone }));
}

/** Writes a return slip beside the invoices and returns the file's path. */
export function writeReturnSlip(dir: string, billReturn: ReturnWithLines, timeZone?: string): { path: string; text: string } {
  return writeSlip(dir, returnSlipFileName(billReturn, timeZone), formatReturnSlip(billReturn, { timeZone }));
}
