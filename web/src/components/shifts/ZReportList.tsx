"use client";
// /z-reports: every closed shift's Z report, newest first, each opening its
// printable page. The figures are the ones stored at the close.
import Link from "next/link";
import { useState } from "react";
import { useZReportsQuery } from "../../gql/graphql.ts";
import { formatDateTime } from "../../lib/hooks.ts";
import { formatAmount } from "../bills/Invoice.tsx";

const PAGE = 25;

export function ZReportList() {
  const [after, setAfter] = useState<string | null>(null);
  const [older, setOlder] = useState<string[]>([]);
  const [{ data, fetching, error }] = useZReportsQuery({ variables: { first: PAGE, after }, requestPolicy: "cache-and-network" });
  if (error) return <p className="status error" role="alert">{error.message}</p>;
  if (!data && fetching) return <p className="loading" role="status">Loading…</p>;
  const answer = data?.zReports;
  if (answer?.__typename !== "ZReportsSuccess") {
    return <p className="status error" role="alert">{answer && "message" in answer ? answer.message : "The Z reports could not be loaded."}</p>;
  }
  const { nodes, pageInfo } = answer.zReports;
  const { currency, timeZone } = data!.shopSettings;
  const money = (a: string) => formatAmount(a, currency);
  return (
    <section aria-labelledby="z-list-title">
      <h1 id="z-list-title">Z reports</h1>
      {nodes.length === 0 ? (
        <p className="muted">No shift has been closed yet. A Z report is written when a shift is closed at the POS.</p>
      ) : (
        <table className="bills" aria-label="Z reports">
          <thead>
            <tr>
              <th scope="col">Z</th>
              <th scope="col">Register</th>
              <th scope="col">Opened</th>
              <th scope="col">Closed</th>
              <th scope="col">Closed by</th>
              <th scope="col" className="num">Bills total</th>
              <th scope="col" className="num">Expected cash</th>
              <th scope="col" className="num">Counted</th>
              <th scope="col" className="num">Variance</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((z) => (
              <tr key={z.number} data-testid="z-row">
                <td><Link href={`/z-reports/${z.number}`}>Z {z.number}</Link></td>
                <td>{z.register}</td>
                <td>{formatDateTime(z.openedAt, timeZone)}</td>
                <td>{formatDateTime(z.closedAt, timeZone)}</td>
                <td>{z.closedByName ?? "-"}</td>
                <td className="num">{money(z.total)}</td>
                <td className="num">{money(z.expectedCash)}</td>
                <td className="num">{money(z.countedCash)}</td>
                <td className="num" data-testid="z-row-variance">{money(z.variance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Z report pages">
        {older.length ? (
          <button type="button" onClick={() => { setAfter(older.at(-1) === "" ? null : older.at(-1)!); setOlder((o) => o.slice(0, -1)); }}>
            Newer
          </button>
        ) : null}
        {pageInfo.hasNextPage && pageInfo.endCursor ? (
          <button type="button" onClick={() => { setOlder((o) => [...o, after ?? ""]); setAfter(pageInfo.endCursor!); }}>
            Older
          </button>
        ) : null}
      </nav>
    </section>
  );
}
