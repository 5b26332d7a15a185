#!/bin/sh
# install.sh - installs the benchmark-only peers of bench/extract (not needed
# to build or test storywire): lxml and readability-lxml (Debian), boilerpipe
# (Debian, Java), and Mozilla Readability.js with linkedom (npm, into
# bench/extract/node_modules, never globally). Safe to rerun; a peer that
# cannot be installed is reported by run.sh as skipped.
set -u
cd "$(dirname "$0")"
PKGS="python3-lxml python3-readability libboilerpipe-java openjdk-17-jdk-headless"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || true
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing || echo "install.sh: apt could not install:$missing" >&2
fi
if command -v npm >/dev/null 2>&1; then
    if [ ! -d node_modules/@mozilla/readability ] || [ ! -d node_modules/linkedom ]; then
        [ -f package.json ] || echo '{"private": true}' > package.json
        npm install --no-audit --no-fund --silent @mozilla/readability linkedom || echo "install.sh: npm install failed" >&2
    fi
else
    echo "install.sh: npm not found; Readability.js will be skipped" >&2
fi
