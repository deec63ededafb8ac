#!/usr/bin/env python3
"""Predicts data-parallel step time and scaling efficiency of Geneformer pretraining on GPU clusters.

Model (stated so it can be checked):
  * Fixed global batch (2048 cells x seq_len tokens): each of p GPUs computes 1/p of it, so per-GPU compute time is
      t_compute(p) = global_batch * seq_len * training_flops_per_token / p / achieved_flops_per_gpu
  * Gradients (fp32, S bytes = 4 x parameters) are summed once per step, after backward, with no overlap (what the
    trainer does today), so t_step = t_compute + t_allreduce and efficiency(p) = t_compute(p) / t_step(p)
    (strong scaling against one GPU with zero communication).
  * One node (p <= g GPUs per node): ring all-reduce over NVLink,
      t = 2 (p-1)/p * S / B_nvlink + 2 (p-1) * a_nvlink
  * n > 1 nodes of g GPUs (NCCL's hierarchical scheme): reduce-scatter in the node, ring all-reduce of each GPU's
    1/g shard across nodes over its own NIC, all-gather in the node:
      t = 2 (g-1)/g * S / B_nvlink + 2 (n-1)/n * (S/g) / B_nic + 2 (g-1) * a_nvlink + 2 (n-1) * a_ib
  Bandwidths are per GPU, one direction. Defaults: 8 GPUs per node; NVLink 300 GB/s (A100) or 450 GB/s (H100);
  8 x 200 Gb/s InfiniBand per node, one 25 GB/s NIC per GPU; latency 2 us (NVLink), 5 us (IB) per step of the ring.
  Achieved compute per GPU: 50 TFLOPS on A100 (the reference's figure) and 395 TFLOPS on H100 (40% MFU of 989), bf16.
  FLOPs per token are `geneformer model info --json` training_flops_per_token at 2048 tokens, MLM head on 15%.

Usage: tools/scaling_model.py [--gpus 8 64 128] [--a100-tflops 50] [--h100-tflops 395] [--ib-gbps 200] ...
"""
import argparse

PRESETS = {
    # parameters and training FLOPs per token (seq 2048, MLM head on 15%) from `geneformer model info --model NAME --json`
    "geneformer-10m": (10_288_981, 62.5e6),
    "geneformer-106m": (106_775_893, 754.2e6),
}


def allreduce_seconds(p, g, size_bytes, nvlink, nic, a_nv, a_ib):
    if p <= g:
        return 2 * (p - 1) / p * size_bytes / nvlink + 2 * (p - 1) * a_nv
    n = p // g
    return (2 * (g - 1) / g * size_bytes / nvlink + 2 * (n - 1) / n * (size_bytes / g) / nic
            + 2 * (g - 1) * a_nv + 2 * (n - 1) * a_ib)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gpus", type=int, nargs="+", default=[8, 64, 128])
    ap.add_argument("--gpus-per-node", type=int, default=8)
    ap.add_argument("--global-batch", type=int, default=2048)
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--a100-tflops", type=float, default=50.0, help="achieved bf16 TFLOPS per A100")
    ap.add_argument("--h100-tflops", type=float, default=395.0, help="achieved bf16 TFLOPS per H100")
    ap.add_argument("--a100-nvlink-gbs", type=float, default=300.0)
    ap.add_argument("--h100-nvlink-gbs", type=float, default=450.0)
    ap.add_argument("--ib-gbps", type=float, default=200.0, help="InfiniBand Gb/s per NIC (one NIC per GPU)")
    ap.add_argument("--nvlink-latency-us", type=float, default=2.0)
    ap.add_argument("--ib-latency-us", type=float, default=5.0)
    a = ap.parse_args()

    gpus = {"A100": (a.a100_tflops, a.a100_nvlink_gbs), "H100": (a.h100_tflops, a.h100_nvlink_gbs)}
    nic = a.ib_gbps / 8 * 1e9
    print("| preset | GPU | GPUs | compute s/step | all-reduce s/step | step s | efficiency |")
    print("|---|---|---|---|---|---|---|")
    for name, (params, flops_per_token) in PRESETS.items():
        size = 4 * params
        for gpu, (tflops, nvlink_gbs) in gpus.items():
            for p in a.gpus:
                compute = a.global_batch * a.seq_len * flops_per_token / p / (tflops * 1e12)
                comm = allreduce_seconds(p, a.gpus_per_node, size, nvlink_gbs * 1e9, nic, a.nvlink_latency_us * 1e-6, a.ib_latency_us * 1e-6)
                print(f"| {name} | {gpu} | {p} | {compute:.3f} | {comm * 1e3:.2f} ms | {compute + comm:.3f} | {compute / (compute + comm):.1%} |")


if __name__ == "__main__":
    main()
