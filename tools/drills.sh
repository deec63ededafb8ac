#!/usr/bin/env bash
# Fault drills against a local job (coordinator + 2 CPU ranks): every failure a long job meets, injected many times,
# each outcome checked. Options: tools/drills.sh --help; what it checks and the latest table: docs/drills.md.
#   tools/drills.sh --trials 20 --table docs-table.md          # the full drill (every scenario, 20 trials each)
#   tools/drills.sh --scenarios kill-rank,stop-rank --trials 2  # a short set
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec python3 "$here/tools/drills/drills.py" --geneformer "${GENEFORMER:-$here/geneformer}" "$@"
