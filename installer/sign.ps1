# Signs one file with the code-signing certificate given by the environment, then checks the
# signature. .github/workflows/windows.yml calls it for partdesk.exe and partdeskw.exe, and
# makensis calls it (SIGN_COMMAND: !uninstfinalize, !finalize) for the uninstaller and the setup.
#   WINDOWS_CERT_PFX       the .pfx file, in base64 (a repository secret)
#   WINDOWS_CERT_PASSWORD  its password (a repository secret)
#   WINDOWS_TIMESTAMP_URL  an RFC 3161 time-stamping server (default: DigiCert's)
#   powershell -NoProfile -ExecutionPolicy Bypass -File installer\sign.ps1 dist\PartDesk\partdesk.exe
param([Parameter(Mandatory = $true)][string]$Path)
$ErrorActionPreference = 'Stop'

if (-not $env:WINDOWS_CERT_PFX) { throw 'WINDOWS_CERT_PFX is not set: there is no certificate to sign with.' }
$temp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { [IO.Path]::GetTempPath() }
$pfx = Join-Path $temp 'partdesk-signing.pfx'  # removed by the workflow's last step
if (-not (Test-Path $pfx)) {
    [IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX))
}
$kits = Join-Path ${env:ProgramFiles(x86)} 'Windows Kits\10\bin'
$signtool = Get-ChildItem -Path $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
    Where-Object { $_.FullName -match '\\x64\\' } | Sort-Object FullName -Descending | Select-Object -First 1
if (-not $signtool) { throw "signtool.exe was not found under $kits (Windows SDK)." }
$timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { 'http://timestamp.digicert.com' }

& $signtool.FullName sign /f $pfx /p $env:WINDOWS_CERT_PASSWORD /fd SHA256 /tr $timestamp /td SHA256 /d PartDesk $Path
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& $signtool.FullName verify /pa $Path
exit $LASTEXITCODE
