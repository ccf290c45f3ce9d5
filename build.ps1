# Runs the runbook host with every argument passed on, e.g. ./build.ps1 --target=UpgradeMinor --cluster=prod
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
dotnet run --project ./build/Build.csproj -- $args
exit $LASTEXITCODE
