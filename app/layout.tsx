import type { Metadata } from "next";
import localFont from "next/font/local";
import "highlight.js/styles/github.css";
import "./globals.css";
import { HydrationMarker } from "@/components/ui/hydration-marker";

const inter = localFont({ src: "./fonts/inter-latin-wght-normal.woff2", variable: "--font-inter", display: "swap" });

export const metadata: Metadata = {
  title: "Pairwise",
  description: "Human preference data for reward models",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans antialiased">
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
