import type { Metadata } from "next";
import { ImportScreen } from "../../../components/admin/ImportScreen.tsx";
import { ClientOnly } from "../../providers.tsx";

export const metadata: Metadata = { title: "Import items" };

export default function ImportPage() {
  return (
    <ClientOnly>
      <ImportScreen />
    </ClientOnly>
  );
}
