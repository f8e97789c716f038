"use client";
// /z-reports/<n>: a Z report as stored at the close, printable on an 80 mm roll
// or A4 (the invoice's paper switch). The server recomputes it from the stored
// documents on every read; any figure that no longer matches is shown.
import Link from "next/link";
import { useZReportQuery } from "../../gql/graphql.ts";
import { formatDateTime } from "../../lib/hooks.ts";
import { PrintControls, usePageRule, usePaper } from "../bills/Invoice.tsx";
import { ShiftFiguresTable, ShiftHeader } from "./ShiftFigures.tsx";

export function ZReportView({ number }: { number: number }) {
  const [paper, setPaper] = usePaper();
  usePageRule(paper);
  const [{ data, fetching, error }] = useZReportQuery({ variables: { number }, pause: !Number.isInteger(number) });
  if (error) return <p className="status error" role="alert">{error.message}</p>;
  if (!data && fetching) return <p className="loading" role="status">Loading…</p>;
  const answer = data?.zReport;
  if (answer?.__typename !== "ZReportSuccess") {
    return <p className="status error" role="alert">{answer && "message" in answer ? answer.message : `There is no Z report ${String(number)}.`}</p>;
  }
  const z = answer.zReport;
  const shop = data!.shopSettings;
  return (
    <div className="bill-view z-view">
      <PrintControls paper={paper} setPaper={setPaper}>
        <Link href="/pos" className="button-link">Back to the POS</Link>
        <Link href="/z-reports" className="button-link">All Z reports</Link>
      </PrintControls>
      {z.differences.length ? (
        <p className="status error no-print" role="alert" data-testid="z-differences">
          The stored documents no longer add up to this report: {z.differences.join(", ")}.
        </p>
      ) : (
        <p className="status ok no-print" role="status" data-testid="z-checked">Checked: the stored documents still add up to this report.</p>
      )}
      <article className={`invoice z-report paper-${paper}`} aria-label={`Z report ${z.number}`}>
        <header className="invoice-head">
          <h2 className="invoice-store">{shop.name}</h2>
          <p className="z-title">Z report <span data-testid="z-number">No. {z.number}</span></p>
          <ShiftHeader f={z.figures} />
        </header>
        <ShiftFiguresTable f={z.figures} currency={shop.currency} />
        <p className="invoice-thanks">Printed {formatDateTime(new Date().toISOString())} · written {formatDateTime(z.createdAt)}{z.createdByName ? ` by ${z.createdByName}` : ""}</p>
      </article>
    </div>
  );
}
