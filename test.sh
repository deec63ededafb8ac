#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
# python3-torch/numpy: parity with PyTorch's own modules; anndata/h5py: tokenizer parity with Python Geneformer;
# slurm-wlm/munge: a real single-node Slurm; chromium: the status page in a headless browser.
tools/install-packages.sh python3-torch python3-numpy python3-anndata python3-h5py slurm-wlm munge chromium
tools/setup.sh
dotnet test Geneformer.Distributed.sln -c Release --no-build -nologo "$@"
