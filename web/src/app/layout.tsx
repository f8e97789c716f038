// The page frame: a slim top bar with the three screens, then the screen.
import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "./providers.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "StoreLite", template: "%s · StoreLite" },
  description: "Inventory and billing for small shops",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <header className="topbar no-print">
          <Link href="/" className="brand">StoreLite</Link>
          <nav aria-label="Main">
            <Link href="/pos">POS</Link>
            <Link href="/admin">Inventory</Link>
            <Link href="/bills">Bills</Link>
            <Link href="/reports">Reports</Link>
            <Link href="/agent">Assistant</Link>
          </nav>
        </header>
        <main id="main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
