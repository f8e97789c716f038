import type { Metadata } from "next";
import { SetupForm } from "../../components/auth/SetupForm.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Set up the shop", referrer: "no-referrer" };

export default function SetupPage() {
  return (
    <ClientOnly>
      <SetupForm />
    </ClientOnly>
  );
}
