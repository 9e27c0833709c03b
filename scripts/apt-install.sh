# shellcheck shell=bash
# apt_install PACKAGE...: `apt-get update` then `apt-get install` of the packages, waiting up to
# ten minutes for another apt or dpkg run (another CI job, a developer's install) to finish
# instead of failing at once. Sourced by .ci/run and scripts/test-windows.sh.
#
# `install` waits by itself with `-o DPkg::Lock::Timeout`. `update` does not: apt 2.6 fails at
# once with "Could not get lock /var/lib/apt/lists/lock" whatever that option says (checked), so
# it is retried while that is the reason it failed. Extra apt options may be given in the array
# APT_EXTRA_OPTIONS (the tests of this function point apt at a lock they hold).

APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}

apt_install() {
    local deadline=$((SECONDS + APT_LOCK_WAIT)) output
    local options=(-o "DPkg::Lock::Timeout=$APT_LOCK_WAIT" "${APT_EXTRA_OPTIONS[@]}")
    until output=$(apt-get "${options[@]}" update -qq 2>&1); do
        if ! grep -q 'Could not get lock' <<<"$output" || ((SECONDS >= deadline)); then
            printf '%s\n' "$output" >&2
            return 1
        fi
        echo "apt-get update: another apt holds the package lists; waiting" >&2
        sleep 5
    done
    DEBIAN_FRONTEND=noninteractive apt-get "${options[@]}" install -y -qq --no-install-recommends "$@"
}
