import type { Metadata } from "next";
import { BillsScreen } from "../../components/bills/BillsScreen.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Bills" };

export default function BillsPage() {
  return (
    <ClientOnly>
      <BillsScreen />
    </ClientOnly>
  );
}
