#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine (root, .NET 10 SDK) lacks, then restores NuGet packages.
# postgresql: its server binaries, for the throwaway clusters of scripts/test.sh and scripts/lab-demo.sh.
# Idempotent and quiet when everything is there. Usage: scripts/setup.sh [--with-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(patchelf g++ python3 postgresql)
[ "${1:-}" = "--with-browser" ] && packages+=(chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# python3 may come from pyenv rather than dpkg
if command -v python3 >/dev/null 2>&1; then missing=("${missing[@]/python3}"); fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
dotnet restore Medvis.Web.sln --verbosity quiet
