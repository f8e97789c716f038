// /agent: the StoreLite Assistant, all of it ChatKit's own UI, talking to our
// /chatkit backend. The ChatKit element itself comes from OpenAI's CDN at run
// time; when it cannot be loaded the page says so instead of staying blank.
import type { Metadata } from "next";
import { GuardedAgent } from "../../components/auth/Guarded.tsx";
import { ClientOnly } from "../providers.tsx";
import { CHATKIT_SCRIPT_URL, chatkitConfig } from "./config.ts";

export const metadata: Metadata = { title: "Assistant" };
export const dynamic = "force-dynamic";

export default function AgentPage() {
  const { url, domainKey } = chatkitConfig();
  return (
    <ClientOnly>
      <GuardedAgent apiUrl={url} domainKey={domainKey} scriptUrl={CHATKIT_SCRIPT_URL} />
    </ClientOnly>
  );
}
