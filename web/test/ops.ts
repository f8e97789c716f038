// Test set-up through the same generated operations the app uses.
import { print } from "graphql";
import {
  AdjustStockDocument,
  CreateItemDocument,
  type AdjustStockMutation,
  type AdjustStockMutationVariables,
  type CreateItemInput,
  type CreateItemMutation,
} from "../src/gql/graphql.ts";
import type { useWebApp } from "./harness.ts";

type App = ReturnType<typeof useWebApp>;

export async function createItem(app: App, input: CreateItemInput): Promise<number> {
  const res = await app.api.graphql<CreateItemMutation>(print(CreateItemDocument), { input });
  const r = res.data?.createItem;
  if (r?.__typename !== "CreateItemSuccess") throw new Error(`createItem failed: ${JSON.stringify(res)}`);
  return r.item.id;
}

export async function adjustStock(app: App, input: AdjustStockMutationVariables["input"]): Promise<string> {
  const res = await app.api.graphql<AdjustStockMutation>(print(AdjustStockDocument), { input });
  const r = res.data?.adjustStock;
  if (r?.__typename !== "AdjustStockSuccess") throw new Error(`adjustStock failed: ${JSON.stringify(res)}`);
  return r.change.item.stockQty;
}

/** The page size of the first page of a PDF, in points (1 mm = 2.835 pt). */
export function pdfPageSize(pdf: Buffer): { width: number; height: number } {
  const m = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
  if (!m) throw new Error("no MediaBox in the PDF");
  return { width: Number(m[1]), height: Number(m[2]) };
}
