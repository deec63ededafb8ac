#!/usr/bin/env python3
"""The PyTorch peers of `geneformer bench --only model-step train-step` on one device, for the GPU speed table.

Each row is one training step over random full-length cells (every token real), the same math on every row: forward,
the MLM head on round(0.15 x seq_len) positions per cell, mean cross-entropy, backward, AdamW (lr 1e-4, weight decay
0.01). Rows (--rows, default all):
  hf-sdpa           Hugging Face BertForMaskedLM, attn_implementation="sdpa", autocast, fused AdamW (needs transformers)
  eager-mask        this project's model in plain torch.nn (eager_pytorch.py), boolean key mask, foreach AdamW
  eager-flash       the same without a mask (SDPA may take flash attention), fused AdamW
  compile-flash     torch.compile of eager-flash
A row that cannot run here prints its reason instead of figures (no transformers; a torch without torch.compile or
fused AdamW). Prints one JSON object per row. TFLOPS count the same FLOPs as the C# side (ModelFlops): per token,
3 x [layers x (8h^2 + 4Sh + 4hf) + 0.15 x (2h^2 + 2hV)].
Usage: gpu_peers.py --config cluster-configs/models/geneformer-10m.json --batch 32 --seq-len 2048 [--device cuda]
"""
import argparse
import contextlib
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eager_pytorch  # noqa: E402  (the same model as the C# side)

ROWS = ["hf-sdpa", "eager-mask", "eager-flash", "compile-flash"]
MASK_FRACTION = 0.15


def training_flops_per_token(c, seq_len):
    h, f, v, layers = c["hidden_size"], c["intermediate_size"], c["vocab_size"], c["num_hidden_layers"]
    return 3 * (layers * (8 * h * h + 4 * seq_len * h + 4 * h * f) + MASK_FRACTION * (2 * h * h + 2 * h * v))


def adamw(params, kind):
    options = dict(lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    if kind == "fused":
        return torch.optim.AdamW(params, fused=True, **options)  # raises where this torch has no fused kernel for the device
    return torch.optim.AdamW(params, foreach=True, **options)


def hf_model(c, device):
    try:
        import transformers
    except ImportError:
        raise Skip("transformers is not installed")
    settings = {k: v for k, v in c.items() if k not in ("architectures", "model_type")}
    # Hugging Face always adds token type embeddings (type 0 for every token); a preset without them gets one row.
    settings["type_vocab_size"] = max(1, settings.get("type_vocab_size", 0))
    config = transformers.BertConfig(**settings)
    config._attn_implementation = "sdpa"
    model = transformers.BertForMaskedLM(config)
    return model.to(device), f"transformers {transformers.__version__}, attention {model.config._attn_implementation}"


class Skip(Exception):
    pass


def run_row(row, c, a, device):
    torch.manual_seed(42)
    dtype = torch.bfloat16 if a.precision == "bf16" else torch.float32
    eager_pytorch.COMPUTE_DTYPE = dtype
    autocast = (lambda: torch.autocast(device.type, dtype=torch.bfloat16)) if a.precision == "bf16" else contextlib.nullcontext
    note = ""
    if row == "compile-flash" and not hasattr(torch, "compile"):
        raise Skip(f"torch {torch.__version__} has no torch.compile")
    if row == "hf-sdpa":
        model, note = hf_model(c, device)
    else:
        model = eager_pytorch.BertForMaskedLM(c).to(device)
    model.train()
    try:
        optimizer = adamw(model.parameters(), "foreach" if row == "eager-mask" else "fused")
    except (RuntimeError, TypeError) as e:
        raise Skip(f"torch {torch.__version__} has no fused AdamW on {device.type} ({str(e).splitlines()[0]})")
    masked = round(a.seq_len * MASK_FRACTION)
    vocab = c["vocab_size"]

    if row == "hf-sdpa":
        def loss_of(ids, positions, labels):
            hidden = model.bert(input_ids=ids).last_hidden_state
            selected = hidden.reshape(-1, hidden.shape[-1]).index_select(0, positions)
            return F.cross_entropy(model.cls(selected).float(), labels)
    else:
        use_mask = row == "eager-mask"

        def loss_of(ids, positions, labels):
            attention = torch.ones_like(ids, dtype=torch.bool) if use_mask else None
            return F.cross_entropy(model.mlm_logits(model.encode(ids, attention), positions).float(), labels)
        if row == "compile-flash":
            loss_of = torch.compile(loss_of)

    generator = torch.Generator(device="cpu").manual_seed(42)

    def step():
        ids = torch.randint(2, vocab, (a.batch, a.seq_len), generator=generator).to(device)
        positions = torch.randperm(a.batch * a.seq_len, generator=generator)[: a.batch * masked].to(device)
        labels = ids.reshape(-1).index_select(0, positions)
        with autocast():
            loss = loss_of(ids, positions, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    started = time.perf_counter()
    for _ in range(a.warmup):
        step()
    sync()
    warmup_s = time.perf_counter() - started
    clock = time.perf_counter()
    for _ in range(a.steps):
        step()
    sync()
    seconds = (time.perf_counter() - clock) / a.steps
    tokens = a.batch * a.seq_len
    tflops = training_flops_per_token(c, a.seq_len) * tokens / seconds / 1e12
    return {
        "tokens_per_s": tokens / seconds, "seconds_per_step": seconds, "tflops": tflops, "mfu": tflops / a.peak_tflops,
        "optimizer": type(optimizer).__name__ + ("(foreach)" if row == "eager-mask" else "(fused)"), "warmup_s": warmup_s, "note": note,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="Hugging Face config.json of the model (cluster-configs/models/*.json)")
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--seq-len", type=int, required=True)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--precision", choices=["fp32", "bf16"], default=None, help="default: bf16 on CUDA, fp32 on CPU (as the trainer)")
    ap.add_argument("--peak-tflops", type=float, default=1.0)
    ap.add_argument("--rows", nargs="+", choices=ROWS, default=ROWS)
    a = ap.parse_args()
    device = torch.device(a.device)
    a.precision = a.precision or ("bf16" if device.type == "cuda" else "fp32")
    with open(a.config) as f:
        c = json.load(f)
    preset = os.path.splitext(os.path.basename(a.config))[0]
    for row in a.rows:
        base = {"row": row, "config": preset, "batch": a.batch, "seq_len": a.seq_len, "steps": a.steps, "device": str(device),
                "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
                "precision": a.precision, "torch_version": torch.__version__}
        try:
            print(json.dumps({**base, **run_row(row, c, a, device)}), flush=True)
        except Skip as reason:
            print(json.dumps({**base, "skipped": str(reason)}), flush=True)
        if device.type == "cuda":
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
