import type { Metadata } from "next";
import { BillView } from "../../../components/bills/BillView.tsx";
import { ClientOnly } from "../../providers.tsx";

export const metadata: Metadata = { title: "Invoice" };

export default async function BillPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <ClientOnly>
      <BillView id={/^\d+$/.test(id) ? Number(id) : NaN} />
    </ClientOnly>
  );
}
