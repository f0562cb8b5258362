#!/usr/bin/env bash
# Builds the frozen PartDesk for this platform from the pinned, hashed installer/requirements.lock
# and checks it. The same stages run on Linux and, through .github/workflows/windows.yml, on a
# Windows runner (Git Bash), which alone builds the Windows installer.
#
#   bash installer/build.sh [--plant] [--nsis] [STAGE...]
#
#   deps        build/venv (Python 3.11) with exactly installer/requirements.lock (--require-hashes)
#   freeze      PyInstaller (installer/partdesk.spec): dist/PartDesk with partdesk, the command
#               line, and partdeskw, the window without a console
#   smoke       the frozen programs: --version, init, verify, the window (PARTDESK_SMOKE_TEST),
#               then demonstration data, a signed certificate PDF and verify again
#   nsis        Windows only: dist/PartDesk-VERSION-setup.exe from installer/partdesk.nsi
#   check-nsis  compiles installer/partdesk.nsi against a dummy folder (makensis; Linux too);
#               with Wine (apt-get install wine), also installs, upgrades and uninstalls it
#
# With no stage: deps freeze smoke. --nsis adds the nsis stage. --plant makes a plant build, the
# only one with the PostgreSQL driver (dist/PartDesk-VERSION-plant-setup.exe).
# PYTHON names the Python 3.11 to build with (default: python3, or python on Windows).
set -euo pipefail
cd "$(dirname "$0")/.."

windows=0
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) windows=1 ;; esac
plant=0
stages=()
for arg in "$@"; do
  case "$arg" in
    --plant) plant=1 ;;
    --nsis) [ ${#stages[@]} -gt 0 ] || stages=(deps freeze smoke); stages+=(nsis) ;;
    deps | freeze | smoke | nsis | check-nsis) stages+=("$arg") ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "Unknown argument: $arg (see bash installer/build.sh --help)." >&2; exit 2 ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=(deps freeze smoke)

for stage in "${stages[@]}"; do
  if [ "$stage" = nsis ] && [ "$windows" = 0 ]; then
    echo "The Windows installer must wrap a Windows build, which PyInstaller makes only on" \
      "Windows: build it with .github/workflows/windows.yml on a Windows runner" \
      "(bash installer/build.sh check-nsis compiles its script here)." >&2
    exit 2
  fi
done

exe_suffix=""
[ "$windows" = 1 ] && exe_suffix=".exe"
DIST=dist/PartDesk
CONSOLE="$DIST/partdesk$exe_suffix"
WINDOWED="$DIST/partdeskw$exe_suffix"
VENV=build/venv
if [ "$windows" = 1 ]; then VPY="$VENV/Scripts/python.exe"; else VPY="$VENV/bin/python"; fi
# A path as the frozen programs (native Windows programs there) read it.
native() { if [ "$windows" = 1 ]; then cygpath -w "$1"; else printf '%s\n' "$1"; fi; }
if [ "$windows" = 1 ]; then PYTHON="${PYTHON:-python}"; else PYTHON="${PYTHON:-python3}"; fi
bundle() { "$PYTHON" installer/bundle.py "$@"; }
temporaries=()
trap 'rm -rf ${temporaries[@]+"${temporaries[@]}"}' EXIT
scratch() { SCRATCH=$(mktemp -d); temporaries+=("$SCRATCH"); }  # a folder removed at exit

stage_deps() {
  local python="$PYTHON"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    echo "installer/requirements.lock is for Python 3.11; $python is not: set PYTHON." >&2
    exit 1
  fi
  bash installer/system-deps.sh build
  local want
  want=$(sha256sum installer/requirements.lock | cut -d' ' -f1)
  if [ "$(cat "$VENV/.lock-sha256" 2>/dev/null)" = "$want" ] && [ -x "$VPY" ]; then
    echo "build/venv already holds installer/requirements.lock"
    return
  fi
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  # Exactly the lock: every package pinned and checked against its hash, wheels only.
  "$VPY" -m pip install --quiet --disable-pip-version-check --require-hashes \
    --only-binary :all: -r installer/requirements.lock
  echo "$want" > "$VENV/.lock-sha256"
}

stage_freeze() {
  [ -x "$VPY" ] || { echo "build/venv is missing: run the deps stage first." >&2; exit 1; }
  "$VPY" installer/make_icon.py --check
  rm -rf "$DIST"
  PARTDESK_PLANT=$plant "$VPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/partdesk.spec
  echo "Frozen: $DIST, $(du -sh "$DIST" | cut -f1)"
}

stage_smoke() {
  [ -x "$CONSOLE" ] && [ -x "$WINDOWED" ] || {
    echo "$CONSOLE or $WINDOWED is missing: run the freeze stage first." >&2; exit 1; }
  local tmp version out
  scratch
  tmp=$SCRATCH
  version=$(bundle version)
  # The frozen programs log to a folder of this run, never to the user's log folder.
  export PARTDESK_LOG_DIR
  PARTDESK_LOG_DIR=$(native "$tmp/logs")
  # Off screen on Linux (no display needed); on Windows the real platform plugin is tried.
  [ "$windows" = 1 ] || export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
  local data fresh demo
  data=$(native "$tmp/data")
  fresh=$(native "$tmp/fresh")
  demo=$(native "$tmp/demo")

  out=$("$CONSOLE" --version | tr -d '\r')
  [ "$out" = "PartDesk $version" ] || { echo "--version said: $out" >&2; exit 1; }
  PARTDESK_PASSWORD=smoke-test-password "$CONSOLE" --data-dir "$data" init --site-code SMK \
    --site-name "Smoke test" --admin admin >/dev/null
  "$CONSOLE" --data-dir "$data" verify
  # The window, from the command line program: it names the first window shown, then "ready".
  out=$(PARTDESK_SMOKE_TEST=1 PARTDESK_NO_DIALOGS=1 timeout 300 "$CONSOLE" --data-dir "$data" \
    | tr -d '\r')
  [ "$out" = "$(printf 'sign_in_dialog\nready')" ] || { echo "The window said: $out" >&2; exit 1; }
  # The windowed program on a fresh folder: the first-run window. It has no output on Windows,
  # where its exit status tells.
  out=$(PARTDESK_SMOKE_TEST=1 PARTDESK_NO_DIALOGS=1 timeout 300 "$WINDOWED" --data-dir "$fresh" \
    | tr -d '\r')
  [ "$windows" = 1 ] || [ "$out" = "$(printf 'first_run_dialog\nready')" ] || {
    echo "partdeskw said: $out" >&2; exit 1; }
  [ -d "$tmp/fresh" ] || { echo "partdeskw did not open $fresh" >&2; exit 1; }
  if "$WINDOWED" --data-dir "$data" verify 2>/dev/null; then
    echo "partdeskw ran a command: it must only open the window." >&2; exit 1
  fi
  # What the frozen program loads by name at run time: demonstration data (spreadsheets, PDFs,
  # a sync package), a certificate PDF with its QR code (reportlab's barcodes), verify.
  "$CONSOLE" --data-dir "$demo" demo >/dev/null
  PARTDESK_PASSWORD='Approver-2026!' "$CONSOLE" --data-dir "$demo" --user a.cherif \
    certificate print CERT-MSR-2026-0011 --out "$(native "$tmp/certificate.pdf")" >/dev/null
  head -c 5 "$tmp/certificate.pdf" | grep -q '%PDF-' || { echo "No certificate PDF." >&2; exit 1; }
  "$CONSOLE" --data-dir "$demo" verify >/dev/null
  # The PostgreSQL driver: in a plant build it loads (the connection, not the driver, fails);
  # in any other build it is not there at all.
  if [ "$plant" = 1 ]; then
    out=$("$CONSOLE" --database-url postgresql+psycopg://partdesk@127.0.0.1:1/none verify 2>&1 \
      | tr -d '\r') && { echo "verify passed on a server that is not there." >&2; exit 1; }
    case "$out" in *ModuleNotFoundError* | *"Unexpected error"*)
      echo "The plant build cannot load the PostgreSQL driver: $out" >&2; exit 1 ;; esac
  elif compgen -G "$DIST/_internal/psycopg*" >/dev/null; then
    echo "The PostgreSQL driver is in a build that is not a plant build." >&2; exit 1
  fi
  echo "Smoke test passed: $CONSOLE and $WINDOWED $version (init, verify, window, certificate$(
    [ "$plant" = 0 ] || echo ', PostgreSQL driver'))"
}

setup_name() {
  local suffix=""
  [ "$plant" = 1 ] && suffix="-plant"
  echo "PartDesk-$(bundle version)$suffix-setup.exe"
}

makensis_args() {  # VERSION, VERSION_QUAD and, when given, the signing command
  local args=("-DVERSION=$(bundle version)" "-DVERSION_QUAD=$(bundle version-quad)")
  [ -z "${PARTDESK_SIGN_COMMAND:-}" ] || args+=("-DSIGN_COMMAND=$PARTDESK_SIGN_COMMAND")
  printf '%s\n' "${args[@]}"
}

stage_nsis() {
  local f
  for f in "$CONSOLE" "$WINDOWED"; do
    # A Windows program starts with "MZ"; anything else is not a Windows build.
    [ -f "$f" ] && [ "$(head -c 2 "$f")" = MZ ] || {
      echo "$f is not a Windows program: the installer wraps only a Windows build." >&2; exit 1; }
  done
  local out args=()
  out="dist/$(setup_name)"
  mapfile -t args < <(makensis_args)
  makensis -V2 -WX "${args[@]}" "-DDIST=$(native "$PWD/$DIST")" \
    "-DOUTFILE=$(native "$PWD/$out")" installer/partdesk.nsi
  echo "Installer: $out, $(du -h "$out" | cut -f1)"
}

dummy_program() {  # a folder shaped like dist/PartDesk, its programs saying which version
  mkdir -p "$1/_internal"
  printf 'MZ %s' "$2" > "$1/partdesk.exe"
  printf 'MZ %s' "$2" > "$1/partdeskw.exe"
  printf '%s' "$2" > "$1/_internal/base_library.zip"
}

stage_check_nsis() {
  command -v makensis >/dev/null || bash installer/system-deps.sh build
  local tmp out args=()
  scratch
  tmp=$SCRATCH
  dummy_program "$tmp/PartDesk" dummy
  # A stand-in for installer/sign.ps1 that notes what it was asked to sign.
  printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> "%s/signed"\n' "$tmp" > "$tmp/sign.sh"
  out="$tmp/$(setup_name)"
  mapfile -t args < <(PARTDESK_SIGN_COMMAND="sh $tmp/sign.sh" makensis_args)
  makensis -V2 -WX "${args[@]}" "-DDIST=$tmp/PartDesk" "-DOUTFILE=$out" installer/partdesk.nsi
  [ "$(head -c 2 "$out")" = MZ ] || { echo "makensis wrote no Windows program." >&2; exit 1; }
  # Both the uninstaller (as it is written) and the setup were handed to the signing command.
  [ "$(wc -l < "$tmp/signed")" -eq 2 ] && tail -n 1 "$tmp/signed" | grep -q "$(setup_name)" || {
    echo "The signing command was not called for the uninstaller and the setup." >&2; exit 1; }
  echo "installer/partdesk.nsi compiles (makensis $(makensis -VERSION)), signing hooks called"
  if command -v wine >/dev/null; then
    try_setup_under_wine
  else
    echo "Wine is not installed: the setup was compiled, not run."
  fi
}

# The setup's logic, run for real under Wine with dummy programs (a 64-bit setup: Debian's Wine
# runs only those without its 32-bit part): installed for this user without /AllUsers, upgraded
# in place by a newer version, which leaves none of the older files, then uninstalled silently,
# keeping the person's data. The workflow does the same on Windows with the real programs.
try_setup_under_wine() {
  local tmp user local_dir programs windows_programs v
  scratch
  tmp=$SCRATCH
  user=$(whoami)
  export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="
  dummy_program "$tmp/1.0.0" 1.0.0
  mkdir -p "$tmp/1.0.0/_internal/old" && echo stale > "$tmp/1.0.0/_internal/old/stale.txt"
  dummy_program "$tmp/2.0.0" 2.0.0
  for v in 1.0.0 2.0.0; do
    makensis -V2 -WX -DTARGET=amd64-unicode "-DVERSION=$v" "-DVERSION_QUAD=$v.0" \
      "-DDIST=$tmp/$v" "-DOUTFILE=$tmp/PartDesk-$v-setup.exe" installer/partdesk.nsi
  done
  timeout 300 wine wineboot --init >/dev/null 2>&1
  local_dir="$WINEPREFIX/drive_c/users/$user/AppData/Local"
  programs="$local_dir/Programs/PartDesk"
  windows_programs="C:\\users\\$user\\AppData\\Local\\Programs\\PartDesk"
  fail() { echo "Under Wine: $1" >&2; wineserver -k || true; exit 1; }

  timeout 120 wine "$tmp/PartDesk-1.0.0-setup.exe" /S /CurrentUser >/dev/null 2>&1
  [ "$(cat "$programs/partdeskw.exe" 2>/dev/null)" = "MZ 1.0.0" ] \
    || fail "the setup did not install for this user in %LOCALAPPDATA%\\Programs\\PartDesk."
  mkdir -p "$local_dir/PartDesk" && echo data > "$local_dir/PartDesk/partdesk.sqlite3"
  timeout 120 wine "$tmp/PartDesk-2.0.0-setup.exe" /S >/dev/null 2>&1
  [ "$(cat "$programs/partdeskw.exe")" = "MZ 2.0.0" ] || fail "the upgrade did not replace 1.0.0."
  [ ! -e "$programs/_internal/old" ] || fail "the upgrade left 1.0.0's files behind."
  [ -f "$local_dir/PartDesk/partdesk.sqlite3" ] || fail "the upgrade deleted the data."
  timeout 120 wine "$programs/Uninstall.exe" /S "_?=$windows_programs" >/dev/null 2>&1
  [ ! -e "$programs/partdeskw.exe" ] && [ ! -e "$programs/_internal" ] \
    || fail "the uninstaller left the program."
  [ -f "$local_dir/PartDesk/partdesk.sqlite3" ] || fail "the uninstaller deleted the data."
  wineserver -k || true
  echo "Under Wine: installed for this user, upgraded in place, uninstalled keeping the data"
}

for stage in "${stages[@]}"; do
  case "$stage" in
    deps) stage_deps ;;
    freeze) stage_freeze ;;
    smoke) stage_smoke ;;
    nsis) stage_nsis ;;
    check-nsis) stage_check_nsis ;;
  esac
done
