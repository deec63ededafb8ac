#!/usr/bin/python3
"""An independent PyTorch trainer that replays a run of `geneformer pretrain --dump-batches DUMP`.

Written from the documented definitions (docs/fidelity.md), not translated from the project's C#: a BERT
masked-language model of torch.nn modules with Hugging Face names, the loss as the summed cross-entropy over the
masked tokens of the whole global batch divided by their count, torch.nn.utils.clip_grad_norm_, torch.optim.AdamW
with no weight decay on biases and LayerNorm weights, and a LambdaLR with linear warmup, hold and cosine decay.
Packed micro batches are laid out padded here, one row per cell. It computes in double precision by default: the
trajectory both fp32 trainers approximate, so that what is compared is the training, not which fp32 rounding drifts
less (docs/fidelity.md). Needs numpy and torch (Debian: python3-torch).

  reference_trainer.py DUMP [--steps N] [--compare-metrics metrics.jsonl] [--compare-weights model.safetensors]
                            [--loss-rtol 1e-5] [--param-atol 1e-4] [--save-weights FILE.safetensors]
                            [--precision fp64|fp32] [--device cuda --autocast bf16]
                            [--resume-from PYTORCH_STATE] [--save-state PYTORCH_STATE]

DUMP holds model/ (config.json and model.safetensors: the weights the run started from), training.json (the run's
configuration) and step-NNNNNN/chunk-CCCC.{input_ids,lengths,masked_positions,labels}.npy (every micro batch of
every step, from every rank). Prints one JSON object: the losses, and with --compare-* the largest differences
from the project's; exits 1 when a difference is above its tolerance.

--resume-from continues from a PyTorch training state (`geneformer checkpoints to-pytorch`: pytorch_model.bin,
optimizer.pt and scheduler.pt, read with torch.load and load_state_dict) at the step its scheduler has done, and
--save-state writes one the same way (torch.save; fp32), for `geneformer checkpoints from-pytorch`.
"""
import argparse
import glob
import shutil
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"]).copy())
    return out


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        b = t.detach().contiguous().numpy().astype(np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        if c.get("type_vocab_size", 0) > 0:
            self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, ids):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions)
        if hasattr(self, "token_type_embeddings"):
            x = x + self.token_type_embeddings(torch.zeros_like(ids))
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)

    def forward(self, x, keep):
        b, s, h = x.shape
        split = lambda t: t.view(b, s, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads)
        scores = scores.masked_fill(~keep[:, None, None, :], float("-inf"))
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, h)


class DenseNorm(nn.Module):
    """A dense layer, then the residual and LayerNorm: BERT's attention.output and output."""

    def __init__(self, c, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c["hidden_size"])

    def forward(self, x, keep):
        return self.output(self.self(x, keep), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.act = activation(c)

    def forward(self, x):
        return self.act(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c["intermediate_size"])

    def forward(self, x, keep):
        a = self.attention(x, keep)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)


class Transform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.act = activation(c)
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x):
        return self.LayerNorm(self.act(self.dense(x)))


class Predictions(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transform = Transform(c)
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))


class Head(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.predictions = Predictions(c)


class BertForMaskedLM(nn.Module):
    """BERT with the MLM head; the decoder is the word embedding matrix (tied), as in Hugging Face's."""

    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c)
        self.cls = Head(c)

    def forward(self, ids, keep, positions):
        x = self.bert.embeddings(ids)
        for layer in self.bert.encoder.layer:
            x = layer(x, keep)
        t = self.cls.predictions.transform(x.reshape(-1, x.shape[-1])[positions])
        return F.linear(t, self.bert.embeddings.word_embeddings.weight, self.cls.predictions.bias)


def activation(c):
    return {"relu": nn.ReLU(), "gelu": nn.GELU()}[c["hidden_act"]]


def lr_factor(t, step):
    """The documented schedule (docs/fidelity.md), as a factor of the peak rate for 0-based optimizer step `step`."""
    warmup, hold = t["warmup_steps"], t.get("hold_steps", 0)
    decay = t.get("decay_steps") or max(1, t["max_steps"] - warmup - hold)
    floor = t.get("min_lr_ratio", 0.0)
    if step < warmup:
        return (step + 1) / warmup
    if step < warmup + hold:
        return 1.0
    done = step - warmup - hold
    if done >= decay:
        return floor
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * done / decay))


def load_micro_batch(prefix, pad):
    """One dumped micro batch as padded rows: (ids [B, S], keep [B, S], positions into B x S, labels, whether it was packed)."""
    ids, lengths = np.load(prefix + ".input_ids.npy"), np.load(prefix + ".lengths.npy")
    packed = ids.ndim == 1
    positions, labels = np.load(prefix + ".masked_positions.npy"), np.load(prefix + ".labels.npy")
    if packed:  # packed: the cells end to end; lay them out one row each
        width, starts = int(lengths.max()), np.concatenate([[0], np.cumsum(lengths)[:-1]])
        padded = np.full((len(lengths), width), pad, dtype=np.int64)
        for row, (start, n) in enumerate(zip(starts, lengths)):
            padded[row, :n] = ids[start:start + n]
        row = np.searchsorted(starts, positions, side="right") - 1
        positions = row * width + (positions - starts[row])
        ids = padded
    keep = np.arange(ids.shape[1])[None, :] < lengths[:, None]
    return torch.from_numpy(ids), torch.from_numpy(keep), torch.from_numpy(positions), torch.from_numpy(labels), packed


TIED = {"cls.predictions.decoder.weight": "bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.bias": "cls.predictions.bias"}


def resume(folder, model, optimizer, schedule):
    """Loads a PyTorch training state the way a PyTorch stack resumes; returns the optimizer steps it has done."""
    state = torch.load(os.path.join(folder, "pytorch_model.bin"), map_location="cpu")
    for alias in TIED:  # this model computes the decoder from the tied tensors instead of holding it
        state.pop(alias, None)
    model.load_state_dict(state)
    optimizer.load_state_dict(torch.load(os.path.join(folder, "optimizer.pt"), map_location="cpu"))
    schedule.load_state_dict(torch.load(os.path.join(folder, "scheduler.pt")))
    return schedule.last_epoch


def save_state(folder, model, optimizer, schedule, source):
    """Writes the training state as torch.save does (fp32), with `source`'s config.json and geneformer/ beside it."""
    os.makedirs(folder)
    weights = {n: p.detach().cpu().float() for n, p in model.named_parameters()}
    for alias, name in TIED.items():
        weights[alias] = weights[name]
    torch.save(weights, os.path.join(folder, "pytorch_model.bin"))
    state = optimizer.state_dict()
    for entry in state["state"].values():
        for key in ("exp_avg", "exp_avg_sq"):
            entry[key] = entry[key].cpu().float()
    torch.save(state, os.path.join(folder, "optimizer.pt"))
    torch.save(schedule.state_dict(), os.path.join(folder, "scheduler.pt"))
    shutil.copy(os.path.join(source, "config.json"), folder)
    shutil.copytree(os.path.join(source, "geneformer"), os.path.join(folder, "geneformer"))


def train(dump, steps, device="cpu", autocast=None, precision="fp64", resume_from=None):
    c = json.load(open(os.path.join(dump, "model", "config.json")))
    t = json.load(open(os.path.join(dump, "training.json")))
    for key in ("hidden_dropout_prob", "attention_probs_dropout_prob"):
        if c.get(key, 0) != 0:
            sys.exit(f"{dump}/model/config.json: {key} is {c[key]}; a replay needs dropout off (the two libraries draw different masks)")
    torch.set_num_threads(max(1, t.get("threads") or 1))
    dtype = {"fp64": torch.float64, "fp32": torch.float32}[precision]
    model = BertForMaskedLM(c).to(device=device, dtype=dtype)
    state = read_safetensors(os.path.join(dump, "model", "model.safetensors"))
    names = dict(model.named_parameters())
    if set(names) != set(state):
        sys.exit(f"{dump}/model/model.safetensors: names differ from BERT's: missing {sorted(set(names) - set(state))}, unknown {sorted(set(state) - set(names))}")
    with torch.no_grad():
        for n, p in names.items():
            p.copy_(state[n].to(device=device, dtype=dtype))
    decay = [p for n, p in names.items() if not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in names.items() if n.endswith("bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": t["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=t["lr"], betas=(t["beta1"], t["beta2"]), eps=t["adam_eps"])
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(t, s))
    start = resume(resume_from, model, optimizer, schedule) if resume_from else 0
    pad = c.get("pad_token_id", 0)
    available = sorted(glob.glob(os.path.join(dump, "step-*")))
    steps = steps or len(available)
    losses, micro_batches, packed = [], 0, 0
    model.train()
    for s in range(start + 1, steps + 1):
        chunks = sorted(glob.glob(os.path.join(dump, f"step-{s:06d}", "chunk-*.labels.npy")))
        if not chunks:
            sys.exit(f"{dump}/step-{s:06d}: no micro batches (the run dumped {len(available)} steps)")
        batches = [load_micro_batch(path[:-len(".labels.npy")], pad) for path in chunks]
        masked = max(1, sum(len(b[3]) for b in batches))
        micro_batches, packed = micro_batches + len(batches), packed + sum(b[4] for b in batches)
        optimizer.zero_grad()
        total = 0.0
        for ids, keep, positions, labels, _ in batches:
            if len(labels) == 0:
                continue
            ids, keep, positions, labels = ids.to(device), keep.to(device), positions.to(device), labels.to(device)
            with torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16, enabled=autocast == "bf16"):
                logits = model(ids, keep, positions)
            loss = F.cross_entropy(logits.to(dtype), labels, reduction="sum")
            (loss / masked).backward()
            total += loss.item()
        if t.get("grad_clip", 0) > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), t["grad_clip"])
        optimizer.step()
        schedule.step()
        losses.append(total / masked)
    result = {"first_step": start + 1, "steps": len(losses), "micro_batches": micro_batches, "packed_micro_batches": packed, "losses": losses}
    return model, optimizer, schedule, result


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("dump")
    a.add_argument("--steps", type=int, default=0, help="steps to replay (default: every dumped step)")
    a.add_argument("--compare-metrics", help="the run's metrics.jsonl (log_every 1): its loss at every step")
    a.add_argument("--compare-weights", help="the run's model.safetensors after the same number of steps")
    a.add_argument("--loss-rtol", type=float, default=1e-5)
    a.add_argument("--param-atol", type=float, default=1e-4)
    a.add_argument("--save-weights", help="write the reference's final weights here (.safetensors)")
    a.add_argument("--precision", choices=["fp64", "fp32"], default="fp64", help="the reference's weights and arithmetic (default fp64)")
    a.add_argument("--device", default="cpu", help="cpu or cuda")
    a.add_argument("--autocast", choices=["bf16"], help="run the forward pass under torch.autocast in bfloat16 (weights and AdamW stay fp32)")
    a.add_argument("--resume-from", help="a PyTorch training state to continue from (geneformer checkpoints to-pytorch)")
    a.add_argument("--save-state", help="write the final PyTorch training state here (needs --resume-from, whose geneformer/ it carries)")
    args = a.parse_args()
    if args.autocast and args.precision != "fp32":
        sys.exit("--autocast bf16 runs on fp32 weights: add --precision fp32")
    if args.save_state and not args.resume_from:
        sys.exit("--save-state carries the geneformer/ folder of --resume-from: add --resume-from")
    model, optimizer, schedule, result = train(args.dump, args.steps, args.device, args.autocast, args.precision, args.resume_from)
    losses, first, ok = result["losses"], result["first_step"], True
    if args.compare_metrics:
        theirs = {}
        for line in open(args.compare_metrics):
            row = json.loads(line)
            if "loss" in row:
                theirs[row["step"]] = row["loss"]  # a resumed run logs its steps again from the checkpoint: the last wins
        missing = [s for s in range(first, first + len(losses)) if s not in theirs]
        if missing:
            sys.exit(f"{args.compare_metrics}: no loss at steps {missing[:5]}; run with --set log_every=1")
        rel = [abs(theirs[s] - l) / abs(l) for s, l in enumerate(losses, first)]
        worst = int(np.argmax(rel))
        result.update(loss_max_rel_diff=max(rel), loss_worst_step=worst + first, project_losses=[theirs[s] for s in range(first, first + len(losses))])
        ok &= max(rel) <= args.loss_rtol
    if args.compare_weights:
        theirs = read_safetensors(args.compare_weights)
        diffs = {n: float((p.detach().cpu().double() - theirs[n].double()).abs().max()) for n, p in model.named_parameters()}
        worst = max(diffs, key=diffs.get)
        result.update(param_max_abs_diff=diffs[worst], param_worst=worst, parameters=sum(p.numel() for p in model.parameters()))
        ok &= diffs[worst] <= args.param_atol
    if args.save_state:
        save_state(args.save_state, model, optimizer, schedule, args.resume_from)
    if args.save_weights:
        write_safetensors(args.save_weights, {n: p.detach().cpu().float() for n, p in model.named_parameters()})
    print(json.dumps(result))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
