#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so (built with GCC 13) load on systems whose libstdc++ lacks
# GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04). It needs that version for exactly one symbol,
# std::ios_base_library_init(), which a tiny shim library provides. Called by Directory.Build.targets
# after every build; does nothing on newer systems and nothing twice.
# Usage: apply.sh <folder holding libLibTorchSharp.so>
set -euo pipefail
native_dir="$1"
here="$(cd "$(dirname "$0")" && pwd)"
lib="$native_dir/libLibTorchSharp.so"
shim="$native_dir/libstdcxx-compat.so"
[ -f "$lib" ] || { echo "torchsharp-compat: no $lib, nothing to do"; exit 0; }

system_libstdcxx="$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')"
system_libstdcxx="${system_libstdcxx:-/lib/x86_64-linux-gnu/libstdc++.so.6}"
if grep -q "GLIBCXX_3.4.32" "$system_libstdcxx" 2>/dev/null; then
  echo "torchsharp-compat: $system_libstdcxx has GLIBCXX_3.4.32, no fix needed"; exit 0
fi
if ! readelf -V "$lib" | grep -q "GLIBCXX_3.4.32" && readelf -d "$lib" | grep -q "libstdcxx-compat.so" && [ -f "$shim" ]; then
  exit 0   # already patched
fi

if ! command -v patchelf >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "torchsharp-compat: installing patchelf"
    (apt-get install -y -qq patchelf >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq patchelf >/dev/null; })
  else
    echo "torchsharp-compat: error: patchelf is required (apt-get install patchelf)" >&2; exit 1
  fi
fi

g++ -shared -fPIC -O2 -o "$shim" "$here/ios_base_library_init.cpp"
python3 "$here/retarget_verneed.py" "$lib" GLIBCXX_3.4.32 GLIBCXX_3.4.30
patchelf --clear-symbol-version _ZSt21ios_base_library_initv \
         --add-needed libstdcxx-compat.so --set-rpath '$ORIGIN' "$lib"
echo "torchsharp-compat: patched $lib"
