#!/usr/bin/env bash
# Set up everything the tests need, then run them all (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The HTML report is tested in a real headless browser: Debian's chromium.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "chromium is not installed (apt-get install chromium chromium-driver); the browser test needs it." >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
