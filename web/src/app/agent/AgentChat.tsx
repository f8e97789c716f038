"use client";
// The ChatKit element configured for StoreLite, plus the two things ChatKit
// cannot tell the user itself: that its script could not be loaded, and that
// the assistant has no Gemini key yet.
import { ChatKit, useChatKit } from "@openai/chatkit-react";
import { useEffect, useMemo, useState } from "react";

export const TITLE = "StoreLite Assistant";
export const GREETING = "I can add items, update stock, and create bills for you";
const PROMPTS = [
  { label: "Add 10 kg sugar at 160 per kg under grocery", prompt: "Add 10 kg sugar at 160 per kg under grocery", icon: "plus" as const },
  { label: "Increase stock of flour by 25 kg", prompt: "Increase stock of flour by 25 kg", icon: "cube" as const },
  { label: "Create a bill for Ali: 2 kg sugar and 1 shampoo bottle", prompt: "Create a bill for Ali: 2 kg sugar and 1 shampoo bottle", icon: "document" as const },
  { label: "Items with stock below 5 in Beauty", prompt: "Show me all items with stock less than 5 units in the beauty category", icon: "search" as const },
];
/** How long to wait for the element before saying it did not come (a script that never answers). */
const LOAD_TIMEOUT_MS = 20_000;
const NOTICE = { border: "1px solid currentColor", borderRadius: 8, padding: "12px 16px", margin: "0 auto 16px", maxWidth: 880 } as const;

type ScriptState = "loading" | "ready" | "failed";

function useChatKitScript(src: string): ScriptState {
  const [state, setState] = useState<ScriptState>(() => (typeof customElements !== "undefined" && customElements.get("openai-chatkit") ? "ready" : "loading"));
  useEffect(() => {
    if (customElements.get("openai-chatkit")) return setState("ready");
    let done = false;
    const finish = (s: ScriptState) => {
      if (!done) {
        done = true;
        setState(s);
      }
    };
    customElements.whenDefined("openai-chatkit").then(() => finish("ready"));
    let script = document.querySelector<HTMLScriptElement>(`script[data-chatkit]`);
    if (!script) {
      script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.dataset.chatkit = "true";
      document.head.appendChild(script);
    }
    const onError = () => finish("failed");
    // Loaded but no element defined (e.g. a captive portal's HTML): also a failure.
    const onLoad = () => setTimeout(() => finish(customElements.get("openai-chatkit") ? "ready" : "failed"), 0);
    script.addEventListener("error", onError);
    script.addEventListener("load", onLoad);
    const timer = setTimeout(() => finish(customElements.get("openai-chatkit") ? "ready" : "failed"), LOAD_TIMEOUT_MS);
    return () => {
      script.removeEventListener("error", onError);
      script.removeEventListener("load", onLoad);
      clearTimeout(timer);
    };
  }, [src]);
  return state;
}

function useAssistantStatus() {
  const [status, setStatus] = useState<{ configured: boolean; message?: string } | null>(null);
  useEffect(() => {
    fetch("/agent/status", { cache: "no-store" })
      .then((r) => r.json())
      .then((s: { configured?: boolean; message?: string; error?: { message?: string } }) =>
        setStatus(s.error ? { configured: false, message: s.error.message } : { configured: Boolean(s.configured), message: s.message }),
      )
      .catch(() => setStatus(null));
  }, []);
  return status;
}

export function AgentChat({ apiUrl, domainKey, scriptUrl }: { apiUrl: string; domainKey: string; scriptUrl: string }) {
  const script = useChatKitScript(scriptUrl);
  const status = useAssistantStatus();
  // ChatKit wants the backend's full address; a relative setting means this app's own origin.
  const url = useMemo(() => (typeof window === "undefined" ? apiUrl : new URL(apiUrl, window.location.href).toString()), [apiUrl]);
  const { control } = useChatKit({
    api: { url, domainKey },
    frameTitle: TITLE,
    header: { title: { text: TITLE } },
    startScreen: { greeting: GREETING, prompts: PROMPTS },
    history: { enabled: true, showDelete: true, showRename: true },
    composer: { placeholder: "Ask about stock, add items, or make a bill…" },
  });

  return (
    <section className="agent-page" aria-labelledby="agent-title">
      <h1 id="agent-title" className="sr-only">{TITLE}</h1>
      {status && !status.configured && (
        <p role="alert" style={NOTICE} data-testid="agent-no-key">
          {status.message ?? "The assistant needs a Gemini API key: set GOOGLE_GENERATIVE_AI_API_KEY (or GEMINI_API_KEY) for the API server and restart it."}
        </p>
      )}
      {script === "failed" ? (
        <div role="alert" style={NOTICE} data-testid="chatkit-unavailable">
          <p>
            <strong>The chat window could not be loaded.</strong> {TITLE} uses OpenAI&apos;s ChatKit, whose script is downloaded from
            OpenAI&apos;s CDN (<code>{scriptUrl}</code>) when this page opens, and this browser could not get it — it may be offline or
            the address may be blocked.
          </p>
          <p>Connect to the internet and reload the page. Everything else in StoreLite works without it.</p>
        </div>
      ) : (
        <>
          {script === "loading" && (
            <p role="status" className="loading">
              Loading the chat…
            </p>
          )}
          <ChatKit control={control} className="agent-chatkit" style={{ display: "block", height: "min(75vh, 760px)", width: "100%", maxWidth: 880, margin: "0 auto" }} />
        </>
      )}
    </section>
  );
}
