"use client";
// The inventory table. Each "Load more" adds one more cursor page, each page
// its own query, so nothing is re-fetched or re-sorted on the client and the
// server answers every page with one keyset query however many items there are.
// urql follows the latest variables only: an answer to an older search never
// replaces the rows of a newer one.
import { useRef, useState } from "react";
import { useInventoryItemsQuery, type ItemFieldsFragment } from "../../gql/graphql.ts";
import { compareDecimal, displayQuantity } from "../../lib/decimal.ts";

export const PAGE_SIZE = 50;

export interface Filters {
  search: string;
  category: string;
  includeInactive: boolean;
  lowOnly: boolean;
}

export function ItemsTable({ filters, onEdit }: { filters: Filters; onEdit: (id: number) => void }) {
  const key = JSON.stringify(filters);
  const [pages, setPages] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  // New filters start again from the first page.
  const cursors = pages.key === key ? pages.cursors : [null];

  return (
    <div className="table-wrap">
      <table className="items">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Category</th>
            <th scope="col">Unit</th>
            <th scope="col" className="num">Price</th>
            <th scope="col" className="num">Stock</th>
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        {cursors.map((after, i) => (
          <ItemsPage
            // The first page stays mounted across filter changes so it can keep
            // showing (dimmed) the previous rows until the new ones arrive.
            key={i === 0 ? "first" : `${key}|${after ?? ""}`}
            filters={filters}
            after={after}
            first={i === 0}
            last={i === cursors.length - 1}
            onEdit={onEdit}
            onMore={(cursor) => setPages({ key, cursors: [...cursors, cursor] })}
          />
        ))}
      </table>
    </div>
  );
}

function ItemsPage(props: {
  filters: Filters;
  after: string | null;
  first: boolean;
  last: boolean;
  onEdit: (id: number) => void;
  onMore: (cursor: string) => void;
}) {
  const { filters, after } = props;
  const [{ data, fetching, error }] = useInventoryItemsQuery({
    variables: {
      search: filters.search || null,
      category: filters.category || null,
      includeInactive: filters.includeInactive,
      lowStockOnly: filters.lowOnly || null,
      first: PAGE_SIZE,
      after,
    },
  });
  // urql shows the answer for the current variables only, so a slow answer to an
  // older search can never replace newer rows; until it comes, the last rows stay, dimmed.
  const last = useRef(data);
  if (data) last.current = data;
  const conn = (data ?? (props.first ? last.current : undefined))?.items;
  return (
    <tbody aria-busy={fetching || !data}>
      {conn?.nodes.map((item) => <ItemRow key={item.id} item={item} onEdit={props.onEdit} />)}
      {error ? (
        <tr><td colSpan={6} className="error-cell" role="alert">Could not load items: {error.message}</td></tr>
      ) : null}
      {props.first && conn && conn.nodes.length === 0 ? (
        <tr><td colSpan={6} className="empty">No items{filters.search ? ` match “${filters.search}”` : ""}.</td></tr>
      ) : null}
      {!conn && fetching ? <tr><td colSpan={6} className="empty">Loading…</td></tr> : null}
      {props.last && data?.items.pageInfo.hasNextPage && data.items.pageInfo.endCursor ? (
        <tr className="more-row">
          <td colSpan={6}>
            <button type="button" onClick={() => props.onMore(data.items.pageInfo.endCursor!)}>Load more</button>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** Out at 0; low at or below the item's own reorder point (lowStockAt). */
export function stockLevel(stockQty: string, lowStockAt: string): "out" | "low" | "ok" {
  if (compareDecimal(stockQty, "0") <= 0) return "out";
  return compareDecimal(stockQty, lowStockAt) <= 0 ? "low" : "ok";
}

function ItemRow({ item, onEdit }: { item: ItemFieldsFragment; onEdit: (id: number) => void }) {
  const level = stockLevel(item.stockQty, item.lowStockAt);
  return (
    <tr className={`${item.isActive ? "" : "inactive"} stock-${level}`} data-item-id={item.id}>
      <th scope="row">
        <span className="item-name">{item.name}</span>
        {item.sku ? <small className="sku">SKU {item.sku}</small> : null}
        {!item.isActive ? <span className="badge muted-badge">Inactive</span> : null}
      </th>
      <td>{item.category}</td>
      <td>{item.unit}</td>
      <td className="num">{item.unitPrice}</td>
      <td className="num stock-cell">
        <span className="stock-value">{displayQuantity(item.stockQty)}</span>
        {level !== "ok" ? <span className={`badge badge-${level}`}>{level === "out" ? "Out of stock" : "Low"}</span> : null}
      </td>
      <td className="actions">
        <button type="button" className="small" onClick={() => onEdit(item.id)} aria-label={`Edit ${item.name}`}>Edit</button>
      </td>
    </tr>
  );
}
