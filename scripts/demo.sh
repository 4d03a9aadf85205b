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

npx tsx scripts/check-db.ts
npx tsx db/seed/index.ts
npm run build
echo "Demo sign-ins are listed in README.md (password: portal-demo-1404)."
exec npm start
