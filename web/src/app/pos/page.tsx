import type { Metadata } from "next";
import { PosScreen } from "../../components/pos/PosScreen.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "POS" };

export default function PosPage() {
  return (
    <ClientOnly>
      <PosScreen />
    </ClientOnly>
  );
}
