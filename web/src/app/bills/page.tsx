import type { Metadata } from "next";
import { GuardedBills } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Bills" };

export default function BillsPage() {
  return (
    <ClientOnly>
      <GuardedBills />
    </ClientOnly>
  );
}
