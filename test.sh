#!/usr/bin/env bash
# Runs the whole test suite (README's test command) and ends with a plain "N passed, N failed" line.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Frosting"]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is required but 'dotnet' is not on PATH." >&2
  exit 2
fi
if ! command -v kubectl >/dev/null 2>&1; then
  echo "test.sh: kubectl is not on PATH: the kubectl conformance tests will be skipped." >&2
fi
# The simulated kubelet runs containers with bubblewrap, and the database images run the real servers from
# Debian's packages: install whatever is missing (as root, on Debian / Ubuntu; once per machine).
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v mysqldump >/dev/null 2>&1 || missing+=(mariadb-client)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]} (Debian packages the simulated cluster's containers need)" >&2
    export DEBIAN_FRONTEND=noninteractive
    # The packages try to start their services; a machine without an init system refuses that harmlessly.
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "test.sh: could not install ${missing[*]}: the tests that need them are skipped or fail" >&2
  else
    echo "test.sh: missing ${missing[*]} (install them as root: apt-get install -y ${missing[*]})" >&2
  fi
fi
log=$(mktemp)
# The host must be built before the tests run it as a child process.
dotnet build KubeRunbooks.slnx --nologo -v quiet -clp:NoSummary || { echo "0 passed, 1 failed"; exit 1; }
dotnet test KubeRunbooks.slnx --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# vstest prints one line per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13, ..."
sum() { grep -Eo "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
