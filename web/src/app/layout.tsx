// The page frame: a slim top bar (the screens this person may use, who is
// signed in, sign out or lock), then the screen.
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { TopBar } from "../components/auth/TopBar.tsx";
import { Providers } from "./providers.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "StoreLite", template: "%s · StoreLite" },
  description: "Inventory and billing for small shops",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request, so each gets its own CSP nonce (src/proxy.ts):
// a page built ahead of time would carry no nonce and its inline scripts would be blocked.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <Providers>
          <TopBar />
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
