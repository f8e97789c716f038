import type { Metadata } from "next";
import { AdminScreen } from "../../components/admin/AdminScreen.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Inventory" };

export default function AdminPage() {
  return (
    <ClientOnly>
      <AdminScreen />
    </ClientOnly>
  );
}
