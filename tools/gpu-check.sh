#!/usr/bin/env bash
# The GPU proof of a build, for a bare GPU machine: PyTorch (CUDA) in its python3, no .NET, no MPI, no network.
# It unpacks the external-libtorch bundle (tools/bundle.sh --flavour external), then runs: doctor; a 10M pretrain under
# the coordinator with NCCL at world size 1 (ranks started directly, no MPI); checkpoints verify; embed parity CUDA
# against CPU; training-step parity in bf16 against the PyTorch reference trainer; the GPU bench stages (and what
# deterministic algorithms cost); and prints one summary. About 5 minutes
# on one H200. Usage:
#   tools/gpu-check.sh dist/geneformer-linux-x64-external.tar.xz [OUTPUT_DIR]     (OUTPUT_DIR default: $OUT or ./gpu-check)
# GPU_CHECK_PARTS picks what runs (default "proof speed"): proof = doctor, pretrain under the coordinator, verify, embed
# parity, deterministic cost; speed = the speed table (this project's model-step and train-step against the PyTorch
# peers of tools/bench/gpu_peers.py, 10M at 32 x 2048 and 106M at 16 x 2048, written to OUTPUT_DIR/speed-table.md) and
# the packed-against-padded trainer on real lengths. GPU_CHECK_CORPUS=DIR names a prepared corpus (real cell lengths)
# for that last stage; by default it runs on a generated corpus, whose lengths spread less than real ones.
# What one GPU proves and does not: NCCL runs at world size 1 (communicator, all-reduce, broadcast, barrier on the
# device); NCCL refuses two ranks on one GPU, so several ranks need a machine with several GPUs.
set -uo pipefail
bundle=${1:?usage: gpu-check.sh BUNDLE.tar.xz [OUTPUT_DIR]}
out=${2:-${OUT:-gpu-check}}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary="$out/summary.txt"
: >"$summary"
note() { echo "$*" | tee -a "$summary"; }
stage() { # stage NAME TIMEOUT_S COMMAND...: runs a stage into $out/NAME.log, notes its exit code and seconds
    local name=$1 limit=$2; shift 2
    local start=$SECONDS
    timeout "$limit" "$@" >"$out/$name.log" 2>&1
    local rc=$?
    note "$(printf '%-16s exit %3d  %4d s' "$name" "$rc" $((SECONDS - start)))"
    return $rc
}

tar -xJf "$bundle" -C "$work" || { note "cannot unpack $bundle"; exit 1; }
gf=$(find "$work" -maxdepth 2 -name geneformer -type f | head -1)
[ -x "$gf" ] || { note "no geneformer in $bundle"; exit 1; }
export GENEFORMER_LIBTORCH=${GENEFORMER_LIBTORCH:-python}
note "gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)"
note "bundle $(basename "$bundle"), GENEFORMER_LIBTORCH=$GENEFORMER_LIBTORCH"

parts=${GPU_CHECK_PARTS:-proof speed}
peers="$(cd "$(dirname "$0")" && pwd)/bench"
d="$work/run"
mkdir -p "$d"
bench=(--device cuda --seq-len 2048 --steps 10 --warmup 2 --peak-tflops 989)

if [[ " $parts " == *" proof "* ]]; then
stage doctor 60 "$gf" doctor --device cuda
grep -E '^(TorchSharp|libtorch|CUDA|cuda:0|NCCL|collectives|device) ' "$out/doctor.log" | sed 's/^/  /' | tee -a "$summary"

stage generate 60 "$gf" generate --output "$d/raw" --datasets 4 --cells-per-dataset 600 --genes 5000 --genes-per-cell 1500
stage prepare 60 "$gf" prepare --input "$d/raw" --output "$d/corpus" --holdout-fraction 0.25 --no-progress
stage pretrain 150 "$gf" pretrain --training geneformer-10m --corpus "$d/corpus" --checkpoints "$d/ckpt" --local --ranks 1 \
    --max-steps 120 --checkpoint-every 60 --eval-every 60 --metrics "$out/metrics.jsonl" \
    --set micro_batch=32 --set global_batch=64 --set warmup_steps=20 --set log_every=10 --set peak_tflops=989
grep -E 'world size|step +120|job ' "$out/pretrain.log" | tail -4 | sed 's/^/  /' | tee -a "$summary"
stage verify 60 "$gf" checkpoints verify "$d/ckpt"

cells=$(ls "$d"/raw/*.h5ad | head -1)
stage embed-cuda 60 "$gf" embed --checkpoint "$d/ckpt" --input "$cells" --output "$d/cuda.npy" --device cuda --precision fp32 --no-progress
stage embed-cpu 90 "$gf" embed --checkpoint "$d/ckpt" --input "$cells" --output "$d/cpu.npy" --device cpu --precision fp32 --no-progress
python3 - "$d/cuda.npy" "$d/cpu.npy" <<'PY' 2>&1 | tee -a "$summary"
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
print(f"  embed parity: {a.shape[0]} cells x {a.shape[1]}, max |cuda - cpu| = {np.abs(a - b).max():.3g}, max |cpu| = {np.abs(b).max():.3g}")
PY
# Training-step parity in bf16: the tiny model without dropout, its micro batches replayed by the PyTorch reference
# trainer under torch.autocast (bf16) on the same GPU; the differences are reported, not judged (docs/fidelity.md).
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0); json.dump(c, open(sys.argv[2], "w"))' \
    "$(dirname "$gf")/cluster-configs/models/tiny.json" "$d/tiny-no-dropout.json"
stage parity-bf16 150 "$gf" pretrain --training tiny --model "$d/tiny-no-dropout.json" --corpus "$d/corpus" --checkpoints "$d/parity" \
    --device cuda --set precision=bf16 --max-steps 50 --checkpoint-every 50 --eval-every 1000 --micro-batch 4 --global-batch 16 \
    --set log_every=1 --set warmup_steps=5 --dump-batches "$d/parity-dump"
stage parity-ref 150 python3 "$(cd "$(dirname "$0")" && pwd)/parity/reference_trainer.py" "$d/parity-dump" --device cuda --precision fp32 --autocast bf16 \
    --compare-metrics "$d/parity/metrics.jsonl" --compare-weights "$d/parity/step-000050/model.safetensors"
python3 - "$out/parity-ref.log" <<'PY' 2>&1 | tee -a "$summary"
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print(f"  bf16 parity over {r['steps']} steps: loss max rel diff {r['loss_max_rel_diff']:.2e} (step {r['loss_worst_step']}), "
      f"weights max abs diff {r['param_max_abs_diff']:.2e} ({r['param_worst']})")
PY
stage bench-determ 90 "$gf" bench --only model-step --model geneformer-10m --batch 32 "${bench[@]}" --deterministic
grep -hE 'tokens/s' "$out/bench-determ.log" | sed 's/^/  deterministic: /' | tee -a "$summary"
fi

if [[ " $parts " == *" speed "* ]]; then
for spec in "geneformer-10m 32" "geneformer-106m 16"; do
    read -r preset batch <<<"$spec"
    stage "ours-$preset" 150 "$gf" bench --only model-step train-step --model "$preset" --batch "$batch" "${bench[@]}" --json
    stage "peers-$preset" 300 python3 "$peers/gpu_peers.py" --config "$(dirname "$gf")/cluster-configs/models/$preset.json" \
        --batch "$batch" --seq-len 2048 --steps 10 --warmup 3 --peak-tflops 989
done
python3 "$peers/speed_table.py" --ours "$out"/ours-*.log --peers "$out"/peers-*.log >"$out/speed-table.md" 2>&1
sed 's/^/  /' "$out/speed-table.md" | tee -a "$summary"
if [ -z "${GPU_CHECK_CORPUS:-}" ] && [ ! -d "$d/corpus" ]; then
    stage generate 60 "$gf" generate --output "$d/raw" --datasets 4 --cells-per-dataset 600 --genes 5000 --genes-per-cell 1500
    stage prepare 60 "$gf" prepare --input "$d/raw" --output "$d/corpus" --holdout-fraction 0.25 --no-progress
fi
stage bench-lengths 150 "$gf" bench --only train-lengths --model geneformer-10m --batch 32 "${bench[@]}" --corpus "${GPU_CHECK_CORPUS:-$d/corpus}" --accumulation 4 --rounds 2
grep -hE 'tokens/s|speedup|padding_fraction' "$out/bench-lengths.log" | sed 's/^/  /' | tee -a "$summary"
fi
note "done in $SECONDS s; logs in $out"
