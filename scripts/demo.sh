#!/usr/bin/env bash
# Sets up and starts the portal with Persian demo data: npm run demo
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  echo "Installing dependencies…"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

if [ ! -f .env ]; then
  echo "SESSION_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" > .env
  echo "COOKIE_SECURE=false" >> .env
  echo "Created .env with a fresh SESSION_SECRET."
fi
set -a; . ./.env; set +a

# Co-brand materials are printed by Chromium; the rest of the portal works without it.
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for co-brand PDFs and images…"
    apt-get update && apt-get install -y chromium || echo "Chromium could not be installed; the portal starts without co-brand rendering."
  else
    echo "Chromium is missing at $CHROMIUM, so co-brand PDFs and images cannot be made. To add it, run:"
    echo "  sudo apt-get update && sudo apt-get install -y chromium"
    echo "(or set CHROMIUM_PATH to an installed Chromium). The portal starts without it."
  fi
fi

npx tsx scripts/check-db.ts
npx tsx db/seed/index.ts
npm run build
echo "Demo sign-ins are listed in README.md (password: portal-demo-1404)."
exec npm start
