import type { Metadata } from "next";
import { GuardedPos } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "POS" };

export default function PosPage() {
  return (
    <ClientOnly>
      <GuardedPos />
    </ClientOnly>
  );
}
