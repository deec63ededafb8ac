#!/usr/bin/env bash
# Makes TorchSharp 0.107's libLibTorchSharp.so load on systems whose libstdc++ lacks GLIBCXX_3.4.32
# (see shared RECIPES: weak version requirement + a shim that provides std::ios_base_library_init).
# Runs on build/publish outputs only (never the NuGet cache), every build, idempotently.
# usage: fix-libtorchsharp.sh OUTPUT_DIR INTERMEDIATE_DIR
set -euo pipefail
out=$1
work=$2/gfiosinit
here=$(cd "$(dirname "$0")" && pwd)

mapfile -t libs < <(find "$out" -maxdepth 4 -name libLibTorchSharp.so 2>/dev/null)
[ ${#libs[@]} -eq 0 ] && exit 0

stdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 \(libc6,x86-64\)/ {print $NF; exit}')
if [ -n "$stdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$stdcxx"; then
  exit 0  # the system library is new enough
fi
for tool in g++ gcc patchelf readelf; do
  command -v $tool >/dev/null || { echo "fix-libtorchsharp: '$tool' is required to patch libLibTorchSharp.so for this system's libstdc++ (apt-get install g++ patchelf binutils)" >&2; exit 1; }
done

mkdir -p "$work"
if [ ! -f "$work/libgfiosinit.so" ] || [ "$here/gfiosinit.cpp" -nt "$work/libgfiosinit.so" ]; then
  g++ -shared -fPIC -O2 -o "$work/libgfiosinit.so.tmp" "$here/gfiosinit.cpp" && mv "$work/libgfiosinit.so.tmp" "$work/libgfiosinit.so"
fi
if [ ! -x "$work/elf-weak-verneed" ] || [ "$here/elf-weak-verneed.c" -nt "$work/elf-weak-verneed" ]; then
  gcc -O2 -o "$work/elf-weak-verneed.tmp" "$here/elf-weak-verneed.c" && mv "$work/elf-weak-verneed.tmp" "$work/elf-weak-verneed"
fi

for lib in "${libs[@]}"; do
  dir=$(dirname "$lib")
  cp -f "$work/libgfiosinit.so" "$dir/libgfiosinit.so"
  # Break any hard link into a package cache before editing in place.
  cp -p "$lib" "$lib.patching" && mv -f "$lib.patching" "$lib"
  rc=0; "$work/elf-weak-verneed" "$lib" GLIBCXX_3.4.32 || rc=$?
  [ $rc -eq 0 ] || [ $rc -eq 3 ] || exit 1
  if ! readelf -d "$lib" | grep -q 'libgfiosinit.so'; then
    patchelf --add-needed libgfiosinit.so "$lib"
  fi
  patchelf --set-rpath '$ORIGIN' "$lib"
done
