"use client";
// /bills: recent bills, newest first, by cursor pages; each opens its invoice.
import Link from "next/link";
import { useState } from "react";
import { useRecentBillsQuery, useShopSettingsQuery } from "../../gql/graphql.ts";
import { formatDateTime } from "../../lib/hooks.ts";

export function BillsScreen() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  // Times on the shop's clock, like its receipts.
  const [{ data: shop }] = useShopSettingsQuery();
  const timeZone = shop?.shopSettings.timeZone;
  return (
    <section className="panel bills-panel" aria-labelledby="bills-title">
      <div className="panel-head">
        <h1 id="bills-title">Recent bills</h1>
        <Link href="/pos" className="button-link">New bill</Link>
      </div>
      <div className="table-wrap">
        <table className="bills">
          <thead>
            <tr>
              <th scope="col">Bill no.</th>
              <th scope="col">Date</th>
              <th scope="col">Customer</th>
              <th scope="col" className="num">Lines</th>
              <th scope="col" className="num">Total</th>
            </tr>
          </thead>
          {cursors.map((after, i) => (
            <BillsPage key={after ?? ""} after={after} timeZone={timeZone} first={i === 0} last={i === cursors.length - 1} onMore={(c) => setCursors([...cursors, c])} />
          ))}
        </table>
      </div>
    </section>
  );
}

function BillsPage({ after, timeZone, first, last, onMore }: { after: string | null; timeZone?: string; first: boolean; last: boolean; onMore: (cursor: string) => void }) {
  const [{ data, fetching, error }] = useRecentBillsQuery({ variables: { first: 50, after } });
  const conn = data?.bills;
  return (
    <tbody aria-busy={fetching}>
      {conn?.nodes.map((b) => (
        <tr key={b.id}>
          <th scope="row"><Link href={`/bills/${b.id}`}>#{b.id}</Link></th>
          <td><time dateTime={b.createdAt}>{formatDateTime(b.createdAt, timeZone)}</time></td>
          <td>{b.customerName ?? <span className="muted">—</span>}</td>
          <td className="num">{b.lines.length}</td>
          <td className="num">{b.totalAmount}</td>
        </tr>
      ))}
      {error ? <tr><td colSpan={5} role="alert" className="error-cell">Could not load bills: {error.message}</td></tr> : null}
      {first && conn && conn.nodes.length === 0 ? <tr><td colSpan={5} className="empty">No bills yet.</td></tr> : null}
      {!conn && fetching ? <tr><td colSpan={5} className="empty">Loading…</td></tr> : null}
      {last && conn?.pageInfo.hasNextPage && conn.pageInfo.endCursor ? (
        <tr className="more-row"><td colSpan={5}><button type="button" onClick={() => onMore(conn.pageInfo.endCursor!)}>Load more</button></td></tr>
      ) : null}
    </tbody>
  );
}
