#!/usr/bin/env bash
# Installs what building and running need (idempotent), then builds the solution and publishes the
# `geneformer` command to .build/geneformer/.
set -euo pipefail
cd "$(dirname "$0")/.."
# g++/patchelf: the TorchSharp libstdc++ fix at build time; mpich: multi-rank training on CPU.
tools/install-packages.sh g++ patchelf binutils mpich libmpich-dev
dotnet build Geneformer.Distributed.sln -c Release -nologo -v q -clp:ErrorsOnly
dotnet publish src/Geneformer.Cli -c Release -o .build/geneformer -nologo -v q -clp:ErrorsOnly
