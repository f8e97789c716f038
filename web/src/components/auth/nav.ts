// The screens, and the permissions that open each (any one of them). The top
// bar and the home page offer only what the signed-in person may use; the
// pages check again (RequireAccess) and the API refuses regardless.
import type { Permission } from "../../gql/graphql.ts";

export interface Screen {
  href: string;
  label: string;
  title: string;
  blurb: string;
  /** Any one of these; empty = anyone signed in. */
  needs: Permission[];
}

export const SCREENS: Screen[] = [
  { href: "/pos", label: "POS", title: "Point of sale", blurb: "Search or scan items, take quantities, print the bill.", needs: ["SELL"] },
  { href: "/admin", label: "Inventory", title: "Inventory", blurb: "Add items, change prices, restock and count stock.", needs: ["EDIT_CATALOG", "ADJUST_STOCK"] },
  { href: "/bills", label: "Bills", title: "Bills", blurb: "Recent bills; open any invoice to reprint it.", needs: ["VIEW_OWN_BILLS", "VIEW_ALL_BILLS"] },
  { href: "/reports", label: "Reports", title: "Reports", blurb: "Sales, top items, categories, hours, stock value and slow movers.", needs: ["VIEW_REPORTS"] },
  { href: "/settings", label: "Settings", title: "Shop settings", blurb: "Receipt header, currency, tax rates, rounding, discount limit.", needs: ["MANAGE_SETTINGS"] },
  { href: "/agent", label: "Assistant", title: "Assistant", blurb: "Ask in plain words: add items, update stock, create bills.", needs: [] },
  { href: "/staff", label: "Staff", title: "Staff", blurb: "Cashiers and managers: accounts, roles, PINs.", needs: ["MANAGE_STAFF"] },
  { href: "/tokens", label: "API tokens", title: "API tokens", blurb: "Tokens for scripts and integrations.", needs: ["MANAGE_TOKENS"] },
];

export function screenFor(path: string): Screen | undefined {
  return SCREENS.find((s) => path === s.href || path.startsWith(`${s.href}/`));
}
