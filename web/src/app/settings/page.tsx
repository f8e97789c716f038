import type { Metadata } from "next";
import { SettingsScreen } from "../../components/settings/SettingsScreen.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <ClientOnly>
      <SettingsScreen />
    </ClientOnly>
  );
}
