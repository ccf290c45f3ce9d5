#!/usr/bin/env bash
# Bootstrap: run the KubeRunbooks host with every argument passed through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET SDK 10 is required but 'dotnet' is not on PATH (https://dotnet.microsoft.com/download)." >&2
  exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Build quietly, then run the built host so that its output and exit code are the tool's own.
if ! dotnet build ./build/Build.csproj --nologo -v quiet -clp:NoSummary -p:WarningLevel=0 >/tmp/kuberunbooks-build.$$.log 2>&1; then
  cat /tmp/kuberunbooks-build.$$.log >&2; rm -f /tmp/kuberunbooks-build.$$.log
  echo "build.sh: the host project failed to build (see above)." >&2
  exit 1
fi
rm -f /tmp/kuberunbooks-build.$$.log
exec dotnet ./build/bin/Debug/net10.0/KubeRunbooks.Build.dll "$@"
