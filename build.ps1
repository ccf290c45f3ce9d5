# Bootstrap: run the KubeRunbooks host with every argument passed through.
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error "build.ps1: the .NET SDK 10 is required but 'dotnet' is not on PATH (https://dotnet.microsoft.com/download)."
    exit 2
}
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'
$log = & dotnet build ./build/Build.csproj --nologo -v quiet -clp:NoSummary 2>&1
if ($LASTEXITCODE -ne 0) { $log | Write-Host; Write-Error 'build.ps1: the host project failed to build (see above).'; exit 1 }
& dotnet ./build/bin/Debug/net10.0/KubeRunbooks.Build.dll @args
exit $LASTEXITCODE
