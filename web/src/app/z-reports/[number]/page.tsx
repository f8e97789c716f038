import type { Metadata } from "next";
import { GuardedZReport } from "../../../components/auth/Guarded.tsx";
import { ClientOnly } from "../../providers.tsx";

export const metadata: Metadata = { title: "Z report" };

export default async function ZReportPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  return (
    <ClientOnly>
      <GuardedZReport number={/^\d+$/.test(number) ? Number(number) : NaN} />
    </ClientOnly>
  );
}
