#!/usr/bin/env bash
# Installs what building and testing need (idempotent), then builds the solution and the `geneformer` command.
# Root (or sudo) is used only to apt-get install missing Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v g++ >/dev/null || need+=(g++)
command -v patchelf >/dev/null || need+=(patchelf)
command -v mpiexec.mpich >/dev/null || need+=(mpich libmpich-dev)
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null || need+=(python3-torch python3-numpy)
# The Slurm integration tests run a real single-node Slurm (tools/slurm-local.sh).
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null || need+=(slurm-wlm)
command -v munged >/dev/null || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build Geneformer.Distributed.sln -c Release -nologo -v q -clp:ErrorsOnly
dotnet publish src/Geneformer.Cli -c Release -o .build/geneformer -nologo -v q -clp:ErrorsOnly
