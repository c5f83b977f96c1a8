#!/usr/bin/env bash
# Install diplograph and everything the tests need, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser tests drive Debian's chromium (never a downloaded browser); install it when
# missing and we may (root, apt-get available). Without it those tests skip.
# LightGBM (the forecaster's re-ranker) needs the OpenMP runtime, Debian's libgomp1.
# The Spark job's test (tests/test_spark.py, local[2]) needs Java: Debian's OpenJDK 17.
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1' || missing="$missing libgomp1"
[ -n "${JAVA_HOME:-}" ] || command -v java >/dev/null 2>&1 || missing="$missing openjdk-17-jre-headless"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  mkdir -p /usr/share/man/man1  # the JRE's install script links its man page there (slim images lack it)
  apt-get update -qq && apt-get install -y -qq $missing >/dev/null
fi
.venv/bin/python -m pytest -q "$@"
