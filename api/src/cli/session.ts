// What every interactive flow works with: the services' context, the prompter
// and where output goes. Plus the one helper to read every matching item.
import type { ServiceContext } from "../domain/context.ts";
import { listItems, type Item, type ListItemsInput } from "../domain/items.ts";
import { MAX_PAGE } from "../domain/pagination.ts";
import type { Prompter } from "./prompt.ts";

export interface Session {
  ctx: ServiceContext;
  io: Prompter;
  out: (line: string) => void;
  /** Folder the .txt invoices are written to. */
  invoiceDir: string;
  /** Time zone for invoice dates; the machine's when undefined. */
  timeZone?: string;
}

/** Every item matching the filter, A–Z, following the service's pages to the end. */
export async function allItems(ctx: ServiceContext, filter: Omit<ListItemsInput, "first" | "after"> = {}, limit = Infinity): Promise<Item[]> {
  const items: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listItems(ctx, { ...filter, first: Math.min(MAX_PAGE, limit - items.length), after });
    items.push(...page.nodes);
    if (!page.hasNextPage || items.length >= limit) return items;
    after = page.endCursor;
  }
}
