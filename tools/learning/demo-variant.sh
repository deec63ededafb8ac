#!/usr/bin/env bash
# The demo's stages with other generator options, to see how the cell-type benchmark of pretrained against random
# weights depends on what makes the cell types differ. Usage:
#   tools/learning/demo-variant.sh OUTPUT_DIR [generate options...]
# e.g. tools/learning/demo-variant.sh variant-modules --program-genes 0 --marker-genes 500 --marker-boost 2
# Writes OUTPUT_DIR/{raw,corpus,ckpt,learning}; the last lines printed are eval training's comparison.
set -euo pipefail
out=${1:?usage: demo-variant.sh OUTPUT_DIR [generate options...]}
shift
gf="$(cd "$(dirname "$0")/../.." && pwd)/geneformer"
[ -e "$out" ] && { echo "$out exists; choose a new folder" >&2; exit 2; }
mkdir -p "$out"
cd "$out"
per_cell=(--genes-per-cell 1000) # the demo's, unless given
[[ " $* " == *" --genes-per-cell "* ]] && per_cell=()
"$gf" generate --output raw --datasets 6 --cells-per-dataset 400 --genes 5000 "${per_cell[@]}" "$@" > generate.log
"$gf" prepare --input raw --output corpus --holdout-fraction 0.2 --no-progress > prepare.log
held_out=$(python3 -c "import json; m = json.load(open('corpus/manifest.json')); print(sorted(d['dataset_id'] for d in m['datasets'] if d['train'] == 0)[0])")
"$gf" pretrain --training tiny --corpus corpus --checkpoints ckpt --max-steps 600 --checkpoint-every 150 --eval-every 150 \
    --set keep_last=5 --local --ranks 2 > pretrain.log 2>&1
"$gf" eval training --checkpoints ckpt --corpus corpus --input "raw/$held_out.h5ad" --label-column cell_type \
    --folds 3 --classifier logreg --output learning | tail -8
