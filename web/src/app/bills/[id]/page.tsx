import type { Metadata } from "next";
import { GuardedBill } from "../../../components/auth/Guarded.tsx";
import { ClientOnly } from "../../providers.tsx";

export const metadata: Metadata = { title: "Invoice" };

export default async function BillPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <ClientOnly>
      <GuardedBill id={/^\d+$/.test(id) ? Number(id) : NaN} />
    </ClientOnly>
  );
}
