import type { Metadata } from "next";
import { GuardedStaff } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Staff" };

export default function StaffPage() {
  return (
    <ClientOnly>
      <GuardedStaff />
    </ClientOnly>
  );
}
