/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['@elastic/elasticsearch', 'better-sqlite3', '@node-rs/argon2'],
  poweredByHeader: false,
  reactStrictMode: true,
};
module.exports = nextConfig;
