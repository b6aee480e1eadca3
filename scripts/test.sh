#!/usr/bin/env bash
# npm test: type check + lint + unit tests + EQL conformance + production build + e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
step() { printf '\n=== %s\n' "$*"; }
step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint . --max-warnings=0
step "unit"; npx vitest run
step "conformance"; npx tsx scripts/conformance.ts
step "build"; npx next build
step "e2e"; npx playwright test
