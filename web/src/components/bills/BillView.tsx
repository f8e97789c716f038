"use client";
// /bills/<id>: one invoice, for reprint.
import Link from "next/link";
import { useBillQuery } from "../../gql/graphql.ts";
import { Invoice, PrintControls, usePaper } from "./Invoice.tsx";

export function BillView({ id }: { id: number }) {
  const [paper, setPaper] = usePaper();
  const [{ data, fetching, error }] = useBillQuery({ variables: { id }, pause: !Number.isInteger(id) });
  if (error) return <p className="status error" role="alert">{error.message}</p>;
  if (!data && fetching) return <p className="loading" role="status">Loading…</p>;
  if (!data?.bill) return <p className="status error" role="alert">There is no bill #{String(id)}. <Link href="/bills">All bills</Link></p>;
  return (
    <div className="bill-view">
      <PrintControls paper={paper} setPaper={setPaper}>
        <Link href="/bills" className="button-link">All bills</Link>
      </PrintControls>
      <Invoice bill={data.bill} paper={paper} />
    </div>
  );
}
