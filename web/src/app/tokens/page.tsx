import type { Metadata } from "next";
import { GuardedTokens } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "API tokens" };

export default function TokensPage() {
  return (
    <ClientOnly>
      <GuardedTokens />
    </ClientOnly>
  );
}
