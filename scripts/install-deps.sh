#!/bin/sh
# install-deps.sh - installs the Debian packages storywire needs, if missing.
#
# Every package the project builds, tests or runs with is listed here and
# nowhere else. `make` calls this script; it does nothing when all are
# present, so it is cheap to run every time.
#   build:   gcc make pkg-config and the -dev packages below (libxml2: HTML
#            and feed parsing; libcurl: fetching feeds and pages)
#   test:    clang (libFuzzer, sanitizers), curl (HTTP tests), sqlite3 (tests read the db), valgrind,
#            chromium (headless browser test: screenshots, DOM and layout checks)
#   runtime: libexttextcat-data (language fingerprints: the .lm files, read
#            by src/text/ngram_lm.c; libexttextcat-dev only for the
#            comparison in bench/langid), wordnet-base (stemming
#            exceptions for ROUGE in `eval summary`; people, places and
#            organisations for background lines), libgweather-4-common
#            (Locations.xml: countries and cities for background lines)
set -eu

PACKAGES="
gcc
make
pkg-config
libsqlite3-dev
libutf8proc-dev
libstemmer-dev
libexttextcat-dev
libexttextcat-data
libmicrohttpd-dev
zlib1g-dev
libxml2-dev
libcurl4-openssl-dev
clang
libclang-rt-14-dev
curl
sqlite3
python3
chromium
wordnet-base
libgweather-4-common
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "storywire: installing Debian packages:$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "storywire: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
