#!/usr/bin/env bash
# npm test: type check + lint + layers (no import cycle in lib/) + unit tests + EQL conformance + production build + e2e.
# Stops at the first failing step; the last line sums up the steps.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
steps=(
  "typecheck|npx tsc --noEmit"
  "lint|npx eslint . --max-warnings=0"
  "layers|npx tsx scripts/check-layers.ts"
  "unit|npx vitest run"
  "conformance|npx tsx scripts/conformance.ts"
  "build|npx next build"
  "e2e|npx playwright test"
)
passed=0
for entry in "${steps[@]}"; do
  name=${entry%%|*}
  cmd=${entry#*|}
  printf '\n=== %s: %s\n' "$name" "$cmd"
  start=$SECONDS
  if ! bash -c "$cmd"; then
    printf '\n=== %s failed after %ss\n' "$name" "$((SECONDS - start))"
    printf 'npm test steps: %d passed, 1 failed\n' "$passed"
    exit 1
  fi
  printf '=== %s passed in %ss\n' "$name" "$((SECONDS - start))"
  passed=$((passed + 1))
done
printf '\nnpm test steps: %d passed, 0 failed\n' "$passed"
