#!/usr/bin/env bash
# Builds the deployable bundles of the `geneformer` command for Linux GPU/CPU clusters: RID-specific (linux-x64),
# self-contained (the .NET runtime inside; the nodes need no .NET), one folder and one .tar.xz per flavour:
#   cpu       with TorchSharp's CPU libtorch inside
#   external  without any libtorch: uses the cluster's PyTorch (GENEFORMER_LIBTORCH=python, or its torch/lib folder)
# Usage: tools/bundle.sh [--flavour cpu|external|both] [--output DIR]     (default: both, into dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=both
out=dist
while [ $# -gt 0 ]; do
    case "$1" in
        --flavour) flavour=$2; shift 2 ;;
        --output) out=$2; shift 2 ;;
        *) echo "bundle.sh: unknown option $1 (expected --flavour cpu|external|both, --output DIR)" >&2; exit 2 ;;
    esac
done
case "$flavour" in cpu|external|both) ;; *) echo "bundle.sh: --flavour $flavour: expected cpu, external or both" >&2; exit 2 ;; esac
tools/install-packages.sh g++ patchelf binutils xz-utils >/dev/null
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage="$out/.stage-$$"
trap 'rm -rf "$stage"' EXIT
dotnet publish src/Geneformer.Cli -c Release -r linux-x64 --self-contained -p:TorchBackend=cpu \
    -o "$stage/publish" -nologo -v q -clp:ErrorsOnly

# libtorch's own libraries (TorchSharp's binding, libLibTorchSharp.so and its libstdc++ shim, stays in both flavours)
libtorch_files() {
    find "$1" -maxdepth 1 -type f \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*.so*' -o -name 'libshm.so' \
        -o -name 'libbackend_with_compiler.so' -o -name 'libjitbackend_test.so' -o -name 'libnnapi_backend.so' -o -name 'libaoti_custom_ops.so' \)
}

make_flavour() {
    local name=$1 dir="$out/geneformer-linux-x64-$1"
    rm -rf "$dir" "$dir.tar.xz"
    cp -a "$stage/publish" "$dir.partial"
    if [ "$name" = external ]; then libtorch_files "$dir.partial" | xargs -r rm -f; fi
    mv "$dir.partial" "$dir"
    tar -C "$out" -cf - "$(basename "$dir")" | xz -6 -T0 > "$dir.tar.xz.partial"
    mv "$dir.tar.xz.partial" "$dir.tar.xz"
    printf '%-9s %s: %s unpacked, %s as %s\n' "$name" "$dir" "$(du -sh "$dir" | cut -f1)" "$(du -h "$dir.tar.xz" | cut -f1)" "$(basename "$dir.tar.xz")"
}

if [ "$flavour" != external ]; then make_flavour cpu; fi
if [ "$flavour" != cpu ]; then make_flavour external; fi
echo "run: DIR/geneformer doctor   (external: GENEFORMER_LIBTORCH=python DIR/geneformer doctor)"
