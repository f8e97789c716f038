"use client";
// Auto-lock on a POS terminal: after `seconds` without a key, tap or click the
// terminal locks itself (the server locks it after as long without a request).
// While someone is working, a request now and then keeps the server's lock
// timer in step with the person's activity, not only with their requests.
import { useEffect, useRef } from "react";
import { useSession } from "../../lib/session.tsx";

const KEEPALIVE_MS = 30_000;
const EVENTS = ["keydown", "pointerdown", "touchstart", "wheel"] as const;

export function IdleLock({ seconds, onIdle }: { seconds: number; onIdle: () => void }) {
  const { recheck } = useSession();
  const lastActivity = useRef(Date.now());
  const lastPing = useRef(Date.now());
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  const recheckRef = useRef(recheck);
  recheckRef.current = recheck;

  useEffect(() => {
    const active = () => {
      lastActivity.current = Date.now();
      if (Date.now() - lastPing.current > KEEPALIVE_MS) {
        lastPing.current = Date.now();
        recheckRef.current();
      }
    };
    for (const e of EVENTS) window.addEventListener(e, active, { passive: true, capture: true });
    let fired = false;
    const timer = setInterval(() => {
      if (!fired && Date.now() - lastActivity.current >= seconds * 1000) {
        fired = true;
        onIdleRef.current();
      }
    }, 1000);
    return () => {
      for (const e of EVENTS) window.removeEventListener(e, active, { capture: true });
      clearInterval(timer);
    };
  }, [seconds]);
  return null;
}
