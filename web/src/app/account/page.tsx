import type { Metadata } from "next";
import { GuardedAccount } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage() {
  return (
    <ClientOnly>
      <GuardedAccount />
    </ClientOnly>
  );
}
