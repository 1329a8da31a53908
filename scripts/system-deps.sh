#!/usr/bin/env bash
# Install the Debian packages the project needs beyond Python and npm:
#   chromium    - the browser that Playwright drives in the browser tests
#   postgresql  - initdb/pg_ctl for scripts/pg-test-server.sh (PostgreSQL tests)
#   redis-server - the Redis the rate-limit tests start (tests/conftest.py, redis_url)
#   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 - what WeasyPrint (the monthly
#                  report's PDF) needs on Debian, as its documentation lists
#   fonts-dejavu-core - the font the report's PDF is set in
#   fonts-noto-core - Arabic and Urdu letters for the browser, so that the screenshots
#                  of the journey in each language (test-results/screenshots/) show them
#
# Usage: scripts/system-deps.sh
#
# Idempotent: when everything is already there it does nothing (and runs no
# apt-get at all). Uses sudo only when not root.
set -euo pipefail

missing=()
if ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
# Debian keeps initdb off PATH, under /usr/lib/postgresql/<version>/bin.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
if ! command -v redis-server >/dev/null 2>&1 && [[ ! -x /usr/bin/redis-server ]]; then
  missing+=(redis-server)
fi

# Libraries have no command to look for: ask dpkg whether each is installed.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
  fonts-noto-core; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

as_root=()
if ((EUID != 0)); then
  as_root=(sudo)
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "system-deps: installing ${missing[*]}" >&2
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 \
  || ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >>"$log" 2>&1; then
  cat "$log" >&2
  echo "system-deps: apt-get failed" >&2
  exit 1
fi
echo "system-deps: installed ${missing[*]}" >&2
