"""Masked-gene pretraining of a small post-LayerNorm BERT on cells with planted gene programs, written with PyTorch's own
modules (nn.TransformerEncoderLayer), independently of the C# model: a check that a loss stuck at the unigram level
comes from the output bias's initialisation, not from this project's implementation (docs/learning.md).

Cells: 8 programs of 200 genes drawn from a 25,429-token vocabulary; a cell expresses 100-159 genes of one program,
ranked by the program's level for each gene times log-normal noise. Model: 2 layers, hidden 64, 4 heads, FFN 128,
tied decoder plus bias, AdamW (weight decay on matrices), 30 warmup steps then cosine decay, global batch 32,
15% masking (80/10/10).

  python3 tools/learning/planted_programs_pytorch.py --output-bias zero      # stays at the unigram level
  python3 tools/learning/planted_programs_pytorch.py --output-bias unigram   # falls below it
"""
import argparse
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, PROGRAMS, PROGRAM_GENES, HIDDEN = 25429, 8, 200, 64


def planted_cells(rng, count, genes, levels):
    cells = []
    for _ in range(count):
        p = rng.integers(PROGRAMS)
        n = rng.integers(100, 160)
        idx = rng.permutation(PROGRAM_GENES)[:n]
        score = levels[p][idx] * np.exp(0.3 * rng.standard_normal(n))
        cells.append(genes[p][idx[np.argsort(-score)]])
    return cells


class Bert(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.words = nn.Embedding(VOCAB, HIDDEN, padding_idx=0)
        self.positions = nn.Embedding(512, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(HIDDEN, 4, 2 * HIDDEN, dropout=dropout, activation="relu",
                                                                batch_first=True, layer_norm_eps=1e-12) for _ in range(2)])
        self.transform = nn.Linear(HIDDEN, HIDDEN)
        self.transform_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.bias = nn.Parameter(torch.zeros(VOCAB))
        for name, p in self.named_parameters():
            if "norm" in name or name == "bias":
                continue
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() > 1:
                nn.init.normal_(p, 0, 0.02)

    def forward(self, ids, mask, positions):
        x = self.norm(self.words(ids) + self.positions(torch.arange(ids.shape[1]))[None])
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=~mask)
        h = self.transform_norm(F.relu(self.transform(x.reshape(-1, HIDDEN)[positions])))
        return h @ self.words.weight.T + self.bias


def batch(cells, seed):
    r = np.random.default_rng(seed)
    width = max(len(c) for c in cells)
    ids, mask = np.zeros((len(cells), width), np.int64), np.zeros((len(cells), width), bool)
    positions, labels = [], []
    for b, cell in enumerate(cells):
        cell = cell.copy()
        for i in np.nonzero(r.random(len(cell)) < 0.15)[0]:
            positions.append(b * width + i)
            labels.append(cell[i])
            action = r.random()
            if action < 0.8:
                cell[i] = 1
            elif action < 0.9:
                cell[i] = r.integers(2, VOCAB)
        ids[b, :len(cell)], mask[b, :len(cell)] = cell, True
    return torch.tensor(ids), torch.tensor(mask), torch.tensor(positions), torch.tensor(labels)


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--output-bias", choices=["zero", "unigram"], default="zero")
    a.add_argument("--steps", type=int, default=300)
    a.add_argument("--lr", type=float, default=1e-3)
    a.add_argument("--threads", type=int, default=2)
    args = a.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(7)
    ids = rng.permutation(np.arange(2, VOCAB))
    genes = [ids[p * PROGRAM_GENES:(p + 1) * PROGRAM_GENES] for p in range(PROGRAMS)]
    levels = [np.exp(1.5 * rng.standard_normal(PROGRAM_GENES)) for _ in range(PROGRAMS)]
    train, validation = planted_cells(rng, 4000, genes, levels), planted_cells(rng, 256, genes, levels)

    counts = np.bincount(np.concatenate(train), minlength=VOCAB).astype(np.float64)
    frequency = counts / counts.sum()
    unigram = -(frequency[frequency > 0] * np.log(frequency[frequency > 0])).sum()
    print(f"unigram entropy {unigram:.3f} nats")

    model = Bert(dropout=0.1)
    if args.output_bias == "unigram":
        with torch.no_grad():
            model.bias.copy_(torch.tensor(np.log((counts + 0.5) / (counts.sum() + 0.5 * VOCAB)), dtype=torch.float32))
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "norm" in n or n == "bias")]
    rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "norm" in n or n == "bias"]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=args.lr)
    warmup = 30
    held_out = batch(validation, 99)
    for step in range(args.steps):
        scale = (step + 1) / warmup if step < warmup else 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (args.steps - warmup)))
        for g in optimizer.param_groups:
            g["lr"] = args.lr * scale
        cells = [train[i] for i in rng.integers(len(train), size=32)]
        ids_, mask, positions, labels = batch(cells, step)
        model.train()
        loss = F.cross_entropy(model(ids_, mask, positions), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if (step + 1) % 25 == 0:
            model.eval()
            with torch.no_grad():
                validation_loss = F.cross_entropy(model(*held_out[:3]), held_out[3]).item()
            print(f"step {step + 1}: loss {loss.item():.3f}, validation {validation_loss:.3f}", flush=True)


if __name__ == "__main__":
    main()
