#!/usr/bin/env bash
# Set up everything the tests need, then run them all (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The Spark engine is tested in local[2] mode: the spark extra and a Java runtime.
.venv/bin/python -m pip install --quiet -e '.[dev,spark]'
as_root_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "$* not installed (apt-get install $*); the tests that need it will fail." >&2
  fi
}
# The HTML report is tested in a real headless browser: Debian's chromium.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  as_root_install chromium chromium-driver
fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  as_root_install default-jre-headless
fi
exec .venv/bin/python -m pytest "$@"
