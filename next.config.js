/**
 * Headers on every answer (pages, API, static files). The pages' Content-Security-Policy
 * (with a fresh nonce per response) and HSTS come from proxy.ts.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two builds live side by side (e.g. a bench build beside the e2e one)
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['@elastic/elasticsearch', 'better-sqlite3', '@node-rs/argon2'],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // API answers over https get HSTS too (pages get it from proxy.ts)
      {
        source: '/api/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000' }],
      },
    ];
  },
};
module.exports = nextConfig;
