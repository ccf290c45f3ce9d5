#!/usr/bin/env bash
# Runs the runbook host with every argument passed on, e.g. ./build.sh --target=UpgradeMinor --cluster=prod
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project ./build/Build.csproj -- "$@"
