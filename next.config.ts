import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/client", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default config;
