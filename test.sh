#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
# The tests read the real .h5ad files in ../shared/data beside this checkout, or in $GENEFORMER_SHARED_DATA.
shared=${GENEFORMER_SHARED_DATA:-../shared/data}
if [ ! -d "$shared" ]; then
  echo "test.sh: the shared data folder $(realpath -m "$shared") is missing; clone beside shared/ or set GENEFORMER_SHARED_DATA" >&2
  exit 2
fi
# python3-torch/numpy: parity with PyTorch's own modules; anndata/h5py: tokenizer parity with Python Geneformer;
# slurm-wlm/munge: a real single-node Slurm; chromium: the status page in a headless browser; nftables: the network-cut drill.
tools/install-packages.sh python3-torch python3-numpy python3-anndata python3-h5py slurm-wlm munge chromium nftables
tools/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Geneformer.Distributed.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# One closing line over all test projects (dotnet test prints one per project).
awk '/(Passed|Failed)! +- +Failed:/ { gsub(",", ""); f += $4; p += $6; s += $8 } END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
