#!/bin/sh
# install-bench-deps.sh - the peers bench/feeds/run.sh compares storywire
# with, installed only for the benchmark (not build or test dependencies):
#   sfeed              the C RSS/Atom parser (sfeed(1) reads a feed on stdin)
#   python3-feedparser the Python universal feed parser
set -eu
PACKAGES="sfeed python3-feedparser"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing benchmark packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
$SUDO apt-get install -y -q $missing >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q $missing >/dev/null
}
