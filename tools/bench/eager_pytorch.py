#!/usr/bin/env python3
"""Eager PyTorch reference for `geneformer bench --only pytorch-train-step pytorch-embed`.

Builds the same model as the C# TorchSharp BertForMaskedLM from a Hugging Face config.json, with plain torch.nn,
and times either a training step or an embedding forward on random full-length cells. Prints one JSON object.

The math is the same as the TorchSharp side (src/Geneformer.Model/Bert, src/Geneformer.Bench/PyTorchComparison.cs):
  - embeddings: word (padding_idx = pad_token_id) + learned absolute positions, LayerNorm(eps), dropout(hidden);
  - each layer, post-LN: LN(x + dropout(dense(attention(x)))) then LN(h + dropout(dense(act(dense(h)))));
  - attention: softmax(q k^T / sqrt(d) masked where the key is padding) with dropout(attention) in training, times v:
    torch's scaled_dot_product_attention when this torch has it (2.0+), else that formula written out (torch 1.x);
  - training step: ids uniform in [2, vocab), every token real (the key padding mask is all true but still applied),
    round(0.15 x seq_len) positions per cell picked at random; the MLM head (dense, act, LayerNorm, decoder tied to the
    word embeddings + bias) runs at those positions only; mean cross-entropy; backward; AdamW(lr 1e-4, betas
    0.9/0.999, eps 1e-8, weight decay 0.01; fused where this torch has it, else foreach) step; no gradient clipping (the TorchSharp bare step has none either);
  - embedding: eval mode (no dropout), torch.inference_mode(), encoder forward, mean of the last hidden states over
    the real tokens (every token here: V1 cells have no special tokens).
Precision (--precision, the same on both sides): fp32; or bf16 compute with fp32 weights and optimizer state, matrix
products in bf16 (TorchSharp: explicit casts, ComputePrecision.Bf16; here: torch.autocast("cpu", bfloat16)), every
LayerNorm in fp32 with its output cast to bf16, the logits and the loss in fp32. CPU only; torch.set_num_threads(--threads) as on the TorchSharp side.
"""
import argparse
import contextlib
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HAS_SDPA = hasattr(F, "scaled_dot_product_attention")
COMPUTE_DTYPE = torch.float32  # torch.bfloat16 with --precision bf16


def layer_norm(norm, x):
    """LayerNorm in fp32 whatever the compute type, its output in the compute type (as ComputePrecision.LayerNorm)."""
    return F.layer_norm(x.float(), norm.normalized_shape, norm.weight, norm.bias, norm.eps).to(COMPUTE_DTYPE)


def activation(name):
    if name == "relu":
        return F.relu
    if name == "gelu":
        return F.gelu
    raise ValueError(f"hidden_act {name} is not supported")


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.head_dim = h // self.heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.dropout_p = c["attention_probs_dropout_prob"]

    def forward(self, x, key_mask):
        b, s, _ = x.shape

        def heads(proj):
            return proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = heads(self.query), heads(self.key), heads(self.value)
        p = self.dropout_p if self.training else 0.0
        if HAS_SDPA:
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask, dropout_p=p)
        else:
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
            if key_mask is not None:
                scores = scores.masked_fill(~key_mask, float("-inf"))
            probs = F.dropout(torch.softmax(scores, dim=-1), p=p, training=self.training)
            context = torch.matmul(probs, v)
        return context.transpose(1, 2).reshape(b, s, self.heads * self.head_dim)


class ResidualOutput(nn.Module):
    def __init__(self, inner, c):
        super().__init__()
        self.dense = nn.Linear(inner, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return layer_norm(self.LayerNorm, self.dropout(self.dense(x)) + residual)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention_self = SelfAttention(c)
        self.attention_output = ResidualOutput(c["hidden_size"], c)
        self.intermediate = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.output = ResidualOutput(c["intermediate_size"], c)
        self.act = activation(c["hidden_act"])

    def forward(self, x, key_mask):
        attended = self.attention_output(self.attention_self(x, key_mask), x)
        return self.output(self.act(self.intermediate(attended)), attended)


class BertForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.c = c
        self.word_embeddings = nn.Embedding(c["vocab_size"], h, padding_idx=c.get("pad_token_id", 0))
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.emb_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.emb_dropout = nn.Dropout(c["hidden_dropout_prob"])
        self.layers = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])
        self.head_dense = nn.Linear(h, h)
        self.head_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.head_bias = nn.Parameter(torch.zeros(c["vocab_size"]))
        self.act = activation(c["hidden_act"])
        with torch.no_grad():  # Hugging Face BERT initialisation
            for name, p in self.named_parameters():
                if "norm" in name.lower() and name.endswith("weight"):
                    p.fill_(1.0)
                elif name.endswith("bias"):
                    p.zero_()
                else:
                    p.normal_(0.0, c["initializer_range"])
            self.word_embeddings.weight[c.get("pad_token_id", 0)].zero_()

    def encode(self, ids, attention):
        """attention: [B,S] bool, true = a real token; None when every token is real (no mask: SDPA may take flash attention)."""
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.emb_dropout(layer_norm(self.emb_norm, self.word_embeddings(ids) + self.position_embeddings(positions).unsqueeze(0)))
        key_mask = None if attention is None else attention.unsqueeze(1).unsqueeze(1)  # [B,1,1,S], true = attend
        for layer in self.layers:
            x = layer(x, key_mask)
        return x

    def mlm_logits(self, hidden, positions):
        selected = hidden.reshape(-1, self.c["hidden_size"]).index_select(0, positions)
        t = layer_norm(self.head_norm, self.act(self.head_dense(selected)))
        return F.linear(t, self.word_embeddings.weight, self.head_bias)


def blas_library():
    """The BLAS shared library this process loaded (Debian's alternatives decide: reference BLAS or OpenBLAS)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        for marker in ("openblas", "mkl", "blis", "blas"):  # the optimised library when one is loaded, else the generic libblas
            found = sorted(p for p in paths if marker in p.rsplit("/", 1)[-1].lower())
            if found:
                return found[-1]
        return "none"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="Hugging Face config.json of the model")
    ap.add_argument("--mode", choices=["train", "embed"], required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--seq-len", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--mask-fraction", type=float, default=0.15)
    ap.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    global COMPUTE_DTYPE
    COMPUTE_DTYPE = torch.bfloat16 if a.precision == "bf16" else torch.float32
    torch.manual_seed(42)
    with open(a.config) as f:
        c = json.load(f)
    model = BertForMaskedLM(c)
    vocab = c["vocab_size"]
    generator = torch.Generator().manual_seed(42)
    masked = round(a.seq_len * a.mask_fraction)

    def compute():
        return torch.autocast("cpu", dtype=torch.bfloat16) if a.precision == "bf16" else contextlib.nullcontext()
    phases = {"forward_s": 0.0, "backward_s": 0.0, "optimizer_s": 0.0}  # training only: seconds per phase over the measured steps

    if a.mode == "train":
        model.train()
        # The fastest AdamW this torch has, as the TorchSharp side runs libtorch's fused kernel: fused (CUDA; CPU since
        # torch 2.4), else the multi-tensor foreach path.
        try:
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, fused=True)
            optimizer_kind = "fused"
        except (RuntimeError, TypeError):
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, foreach=True)
            optimizer_kind = "foreach"

        def step():
            ids = torch.randint(2, vocab, (a.batch, a.seq_len), generator=generator)
            attention = torch.ones(a.batch, a.seq_len, dtype=torch.bool)
            positions = torch.randperm(a.batch * a.seq_len, generator=generator)[: a.batch * masked]
            labels = ids.reshape(-1).index_select(0, positions)
            clock = time.perf_counter()
            with compute():
                logits = model.mlm_logits(model.encode(ids, attention), positions)
            loss = F.cross_entropy(logits.float(), labels)
            forward = time.perf_counter()
            optimizer.zero_grad()
            loss.backward()
            backward = time.perf_counter()
            optimizer.step()
            done = time.perf_counter()
            phases["forward_s"] += forward - clock
            phases["backward_s"] += backward - forward
            phases["optimizer_s"] += done - backward
    else:
        model.eval()

        def step():
            with torch.inference_mode():
                ids = torch.randint(2, vocab, (a.batch, a.seq_len), generator=generator)
                attention = torch.ones(a.batch, a.seq_len, dtype=torch.bool)
                with compute():
                    states = model.encode(ids, attention)
                states = states.float()
                genes = attention.to(torch.float32).unsqueeze(-1)
                pooled = (states * genes).sum(dim=1) / genes.sum(dim=1).clamp_min(1)
                pooled.numpy()  # the embeddings reach the host, as the TorchSharp side copies them out

    for _ in range(a.warmup):
        step()
    for k in phases:
        phases[k] = 0.0
    clock = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - clock
    tokens = a.batch * a.seq_len * a.steps
    print(json.dumps({
        "mode": a.mode, "precision": a.precision, "optimizer": optimizer_kind if a.mode == "train" else None, "batch": a.batch, "seq_len": a.seq_len, "steps": a.steps, "threads": torch.get_num_threads(),
        "seconds_per_step": seconds / a.steps, "tokens_per_s": tokens / seconds, "cells_per_s": a.batch * a.steps / seconds,
        **({k: v / a.steps for k, v in phases.items()} if a.mode == "train" else {}),
        "torch_version": torch.__version__, "attention": "sdpa" if HAS_SDPA else "matmul-softmax", "blas": blas_library(),
    }))


if __name__ == "__main__":
    main()
