# shellcheck shell=bash
# Sourced by the Windows scripts that count their checks (outlook-addin.sh, fresh-addin.sh):
#
#     check "what" command...   runs the command; prints "ok:   what" or "FAIL: what" and counts it
#     checks_summary NAME       prints "NAME: N passed, M failed", the line scripts/test-windows.sh
#                               reads; returns 1 when a check failed
passed=0
failed=0
check() {
    local what=$1
    shift
    if "$@"; then
        echo "ok:   $what"
        passed=$((passed + 1))
    else
        echo "FAIL: $what"
        failed=$((failed + 1))
    fi
}
checks_summary() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
