import type { Metadata } from "next";
import { ReportsScreen } from "../../components/reports/ReportsScreen.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Reports" };

export default function ReportsPage() {
  return (
    <ClientOnly>
      <ReportsScreen />
    </ClientOnly>
  );
}
