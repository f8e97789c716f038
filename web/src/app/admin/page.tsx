import type { Metadata } from "next";
import { GuardedAdmin } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Inventory" };

export default function AdminPage() {
  return (
    <ClientOnly>
      <GuardedAdmin />
    </ClientOnly>
  );
}
