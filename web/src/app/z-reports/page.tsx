import type { Metadata } from "next";
import { GuardedZReportList } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Z reports" };

export default function ZReportsPage() {
  return (
    <ClientOnly>
      <GuardedZReportList />
    </ClientOnly>
  );
}
