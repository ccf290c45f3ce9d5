# Bootstrap: run the KubeRunbooks host with every argument passed through (build.sh, line by line).
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
  [Console]::Error.WriteLine("build.ps1: the .NET SDK 10 is required but 'dotnet' is not on PATH (https://dotnet.microsoft.com/download).")
  exit 2
}
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# Build quietly, then run the built host so that its output and exit code are the tool's own.
$log = & dotnet build ./build/Build.csproj --nologo -v quiet -clp:NoSummary -p:WarningLevel=0 2>&1
if ($LASTEXITCODE -ne 0) {
  $log | ForEach-Object { [Console]::Error.WriteLine($_) }
  [Console]::Error.WriteLine('build.ps1: the host project failed to build (see above).')
  exit 1
}
& dotnet ./build/bin/Debug/net10.0/KubeRunbooks.Build.dll @args
exit $LASTEXITCODE
