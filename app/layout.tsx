import type { Metadata } from "next";
import localFont from "next/font/local";
import "./globals.css";
import { HydrationMarker } from "@/components/ui/hydration-marker";
import { themePreference } from "./theme";

const inter = localFont({ src: "./fonts/inter-latin-wght-normal.woff2", variable: "--font-inter", display: "swap" });

export const metadata: Metadata = {
  title: "Pairwise",
  description: "Human preference data for reward models",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = await themePreference();
  return (
    <html lang="en" className={inter.variable} data-theme={theme === "system" ? undefined : theme}>
      <body className="min-h-screen font-sans antialiased">
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
