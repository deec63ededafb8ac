#!/usr/bin/env bash
# Generates a synthetic CELLxGENE-like corpus (.h5ad per dataset_id) with `geneformer generate`.
# Usage: tools/generate-corpus.sh OUTPUT_DIR [geneformer generate options...]
# Takes real Ensembl ids from the gc30M token dictionary when the shared data is present
# ($GENEFORMER_SHARED_DATA, else ../shared/data beside the repository).
set -euo pipefail
if [[ $# -lt 1 ]]; then echo "usage: $0 OUTPUT_DIR [--datasets N --cells-per-dataset N --genes-per-cell N --seed N ...]" >&2; exit 2; fi
out=$1; shift
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${GENEFORMER_SHARED_DATA:-$repo/../shared/data}
dict=$shared/geneformer-dicts/gc30M/token_dictionary_gc30M.tsv
args=()
if [[ -f $dict ]]; then args+=(--gene-ids "$dict"); fi
exec dotnet run --project "$repo/src/Geneformer.Cli" -c Release -- generate --output "$out" "${args[@]}" "$@"
