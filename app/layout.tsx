import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = { title: "Ray ETL Designer", description: "Visual ETL pipelines compiled to Ray Data" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <header className="topbar">
            <a href="/" className="brand">Ray ETL Designer</a>
            <nav className="topnav" aria-label="Main">
              <a href="/">Dashboard</a>
              <a href="/pipelines">Pipelines</a>
              <a href="/runs">Runs</a>
              <a href="/connections">Connections</a>
            </nav>
          </header>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
