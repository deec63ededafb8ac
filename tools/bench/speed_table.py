#!/usr/bin/env python3
"""The GPU speed table: this project's `bench --json` figures and gpu_peers.py's rows from the same run, as Markdown.

One table per preset and shape. Columns: tokens/s, TFLOPS, MFU, and "ours / row": this project's trainer
(train-step) tokens/s over the row's (above 1: this project is ahead of that row).
Usage: speed_table.py --ours BENCH.jsonl --peers PEERS.jsonl [--device NAME]
"""
import argparse
import json

LABELS = {
    "model-step": "this project, `bench --only model-step`",
    "train-step": "this project, `bench --only train-step` (the trainer)",
    "hf-sdpa": "Hugging Face `BertForMaskedLM` (sdpa, autocast bf16, fused AdamW)",
    "eager-mask": "eager PyTorch, same model, bool key mask, foreach AdamW",
    "eager-flash": "eager PyTorch, no mask (flash attention), fused AdamW",
    "compile-flash": "`torch.compile` of the same",
}


def read_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ours", required=True, nargs="+", help="`geneformer bench --json` output files")
    ap.add_argument("--peers", required=True, nargs="+", help="gpu_peers.py output files")
    ap.add_argument("--device", default=None, help="the device's name for the heading (default: the peers' device_name)")
    a = ap.parse_args()

    groups = {}  # (config, batch, seq_len) -> {row: (tokens/s, tflops, mfu, note)}
    for path in a.ours:
        figures = read_lines(path)
        for stage in ("model-step", "train-step"):
            tokens = next((f for f in figures if f["name"] == f"{stage}.tokens_per_s"), None)
            tflops = next((f for f in figures if f["name"] == f"{stage}.tflops"), None)
            if tokens is None or tflops is None:
                continue
            key = (tokens["config"], int(tokens["batch"]), int(tokens["seq_len"]))
            groups.setdefault(key, {})[stage] = (tokens["value"], tflops["value"], tflops["mfu"], "")
    device = a.device
    for path in a.peers:
        for r in read_lines(path):
            device = device or r.get("device_name")
            key = (r["config"], int(r["batch"]), int(r["seq_len"]))
            groups.setdefault(key, {})[r["row"]] = (r["tokens_per_s"], r["tflops"], r["mfu"], r.get("note", "")) if "skipped" not in r \
                else (None, None, None, "not run: " + r["skipped"])

    print(f"Training step, tokens/s on {device or 'the device'} (random full-length cells; the same math on every row):\n")
    for (config, batch, seq_len), rows in sorted(groups.items()):
        ours = rows.get("train-step", (None,))[0]
        print(f"### {config}, {batch} x {seq_len}\n")
        print("| | tokens/s | TFLOPS | MFU | ours / row |")
        print("|---|---|---|---|---|")
        for row, label in LABELS.items():
            if row not in rows:
                continue
            tokens, tflops, mfu, note = rows[row]
            if tokens is None:
                print(f"| {label} | {note} | | | |")
                continue
            ratio = f"{ours / tokens:.2f}" if ours else ""
            print(f"| {label}{' (' + note + ')' if note else ''} | {tokens:,.0f} | {tflops:.3g} | {100 * mfu:.2g}% | {ratio} |")
        print()


if __name__ == "__main__":
    main()
