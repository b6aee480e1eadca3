/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two builds live side by side (e.g. a bench build beside the e2e one)
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['@elastic/elasticsearch', 'better-sqlite3', '@node-rs/argon2'],
  poweredByHeader: false,
  reactStrictMode: true,
};
module.exports = nextConfig;
