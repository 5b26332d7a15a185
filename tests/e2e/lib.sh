# lib.sh - helpers for end-to-end tests written in POSIX sh.
# Source it; use `check NAME COMMAND...` / `check_eq NAME GOT WANT` /
# `check_contains NAME HAYSTACK NEEDLE`, and end with `finish NAME`.
# $SW is the storywire binary under test, $T a fresh scratch directory.
SW=${STORYWIRE_BIN:-./storywire}
T=${TEST_TMP:-$(mktemp -d)}
rm -rf "$T"
mkdir -p "$T"
e2e_passed=0
e2e_failed=0

pass() { e2e_passed=$((e2e_passed + 1)); }
fail() { e2e_failed=$((e2e_failed + 1)); echo "  FAIL $1${2:+: $2}"; }

check() { # NAME CMD... : passes when CMD exits 0
    name=$1; shift
    if "$@" >"$T/last.out" 2>"$T/last.err"; then pass; else fail "$name" "exit $? from: $*"; sed 's/^/    | /' "$T/last.err" | head -n 20; fi
}
check_fails() { # NAME CMD... : passes when CMD exits non-zero (and does not crash)
    name=$1; shift
    "$@" >"$T/last.out" 2>"$T/last.err"
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -lt 128 ]; then pass; else fail "$name" "exit $rc from: $*"; sed 's/^/    | /' "$T/last.err" | head -n 20; fi
}
check_eq() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then pass; else fail "$1" "got '$2', want '$3'"; fi
}
check_contains() { # NAME HAYSTACK NEEDLE
    case "$2" in *"$3"*) pass ;; *) fail "$1" "'$3' not found in: $(printf '%s' "$2" | head -c 300)" ;; esac
}
check_not_contains() { # NAME HAYSTACK NEEDLE
    case "$2" in *"$3"*) fail "$1" "'$3' found in: $(printf '%s' "$2" | head -c 300)" ;; *) pass ;; esac
}
finish() {
    echo "$1: $e2e_passed passed, $e2e_failed failed"
    [ "$e2e_failed" = 0 ]
}
