"""Reference BERT built from PyTorch's own modules, to check the C# model against an implementation
nobody on this project wrote. Run with Debian's python3-torch (/usr/bin/python3).

  reference_bert.py check DIR     DIR holds config.json + model.safetensors (written by C#), input_ids.npy,
                                  attention_mask.npy, positions.npy and the C# outputs hidden.npy, logits.npy;
                                  prints the largest differences as JSON, exits 1 above tolerance.
  reference_bert.py make-hf DIR   writes a Hugging Face style folder (config.json with token types,
                                  pytorch_model.bin with Hugging Face names, extra pooler/buffer tensors)
                                  and the reference outputs for the same inputs, for the import test.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

TOLERANCE = 1e-4


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=dtypes[meta["dtype"]]).reshape(meta["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def build_layers(cfg, sd):
    """One torch.nn.TransformerEncoderLayer per BERT layer (post-LN, ReLU/GELU), weights from the state dict."""
    layers = []
    for i in range(cfg["num_hidden_layers"]):
        p = f"bert.encoder.layer.{i}."
        layer = torch.nn.TransformerEncoderLayer(
            d_model=cfg["hidden_size"], nhead=cfg["num_attention_heads"], dim_feedforward=cfg["intermediate_size"],
            dropout=0.0, activation=cfg["hidden_act"], layer_norm_eps=cfg["layer_norm_eps"], batch_first=True, norm_first=False)
        with torch.no_grad():
            att = p + "attention.self."
            layer.self_attn.in_proj_weight.copy_(torch.cat([sd[att + "query.weight"], sd[att + "key.weight"], sd[att + "value.weight"]]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([sd[att + "query.bias"], sd[att + "key.bias"], sd[att + "value.bias"]]))
            layer.self_attn.out_proj.weight.copy_(sd[p + "attention.output.dense.weight"])
            layer.self_attn.out_proj.bias.copy_(sd[p + "attention.output.dense.bias"])
            layer.norm1.weight.copy_(sd[p + "attention.output.LayerNorm.weight"])
            layer.norm1.bias.copy_(sd[p + "attention.output.LayerNorm.bias"])
            layer.linear1.weight.copy_(sd[p + "intermediate.dense.weight"])
            layer.linear1.bias.copy_(sd[p + "intermediate.dense.bias"])
            layer.linear2.weight.copy_(sd[p + "output.dense.weight"])
            layer.linear2.bias.copy_(sd[p + "output.dense.bias"])
            layer.norm2.weight.copy_(sd[p + "output.LayerNorm.weight"])
            layer.norm2.bias.copy_(sd[p + "output.LayerNorm.bias"])
        layer.eval()
        layers.append(layer)
    return layers


def reference_forward(cfg, sd, input_ids, attention_mask, positions):
    eps = cfg["layer_norm_eps"]
    h = cfg["hidden_size"]
    ids = torch.from_numpy(input_ids)
    seq = ids.shape[1]
    x = F.embedding(ids, sd["bert.embeddings.word_embeddings.weight"]) + sd["bert.embeddings.position_embeddings.weight"][:seq]
    if "bert.embeddings.token_type_embeddings.weight" in sd:
        x = x + sd["bert.embeddings.token_type_embeddings.weight"][0]
    x = F.layer_norm(x, (h,), sd["bert.embeddings.LayerNorm.weight"], sd["bert.embeddings.LayerNorm.bias"], eps)
    pad = torch.from_numpy(attention_mask == 0)
    with torch.no_grad():
        for layer in build_layers(cfg, sd):
            x = layer(x, src_key_padding_mask=pad)
        act = F.relu if cfg["hidden_act"] == "relu" else F.gelu
        sel = x.reshape(-1, h)[torch.from_numpy(positions)]
        t = act(F.linear(sel, sd["cls.predictions.transform.dense.weight"], sd["cls.predictions.transform.dense.bias"]))
        t = F.layer_norm(t, (h,), sd["cls.predictions.transform.LayerNorm.weight"], sd["cls.predictions.transform.LayerNorm.bias"], eps)
        bias = sd.get("cls.predictions.bias", sd.get("cls.predictions.decoder.bias"))
        logits = F.linear(t, sd["bert.embeddings.word_embeddings.weight"], bias)
    return x.numpy(), logits.numpy()


def check(d):
    cfg = json.load(open(f"{d}/config.json"))
    sd = read_safetensors(f"{d}/model.safetensors")
    ids, mask, pos = np.load(f"{d}/input_ids.npy"), np.load(f"{d}/attention_mask.npy"), np.load(f"{d}/positions.npy")
    ref_hidden, ref_logits = reference_forward(cfg, sd, ids, mask, pos)
    ours_hidden, ours_logits = np.load(f"{d}/hidden.npy"), np.load(f"{d}/logits.npy")
    real = mask.astype(bool)
    result = {
        "hidden_max_abs_diff": float(np.abs(ref_hidden[real] - ours_hidden[real]).max()),
        "logits_max_abs_diff": float(np.abs(ref_logits - ours_logits).max()),
        "real_tokens": int(real.sum()),
        "padded_tokens": int((~real).sum()),
    }
    print(json.dumps(result))
    ok = result["hidden_max_abs_diff"] < TOLERANCE and result["logits_max_abs_diff"] < TOLERANCE
    sys.exit(0 if ok else 1)


def make_hf(d):
    torch.manual_seed(7)
    cfg = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "vocab_size": 40, "hidden_size": 32,
           "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 48, "max_position_embeddings": 24,
           "hidden_act": "relu", "hidden_dropout_prob": 0.02, "attention_probs_dropout_prob": 0.02,
           "layer_norm_eps": 1e-12, "initializer_range": 0.02, "type_vocab_size": 2, "pad_token_id": 0,
           "position_embedding_type": "absolute", "transformers_version": "4.6.0"}
    h, f = cfg["hidden_size"], cfg["intermediate_size"]
    sd = {
        "bert.embeddings.word_embeddings.weight": torch.randn(cfg["vocab_size"], h) * 0.5,
        "bert.embeddings.position_embeddings.weight": torch.randn(cfg["max_position_embeddings"], h) * 0.5,
        "bert.embeddings.token_type_embeddings.weight": torch.randn(2, h) * 0.5,
        "bert.embeddings.LayerNorm.weight": 1 + 0.1 * torch.randn(h), "bert.embeddings.LayerNorm.bias": 0.1 * torch.randn(h),
        "bert.embeddings.position_ids": torch.arange(cfg["max_position_embeddings"]).unsqueeze(0),
        "bert.pooler.dense.weight": torch.randn(h, h), "bert.pooler.dense.bias": torch.randn(h),
    }
    for i in range(cfg["num_hidden_layers"]):
        p = f"bert.encoder.layer.{i}."
        for name, shape in [("attention.self.query", (h, h)), ("attention.self.key", (h, h)), ("attention.self.value", (h, h)),
                            ("attention.output.dense", (h, h)), ("intermediate.dense", (f, h)), ("output.dense", (h, f))]:
            sd[p + name + ".weight"] = torch.randn(*shape) * 0.2
            sd[p + name + ".bias"] = torch.randn(shape[0]) * 0.1
        for ln in ["attention.output.LayerNorm", "output.LayerNorm"]:
            sd[p + ln + ".weight"] = 1 + 0.1 * torch.randn(h)
            sd[p + ln + ".bias"] = 0.1 * torch.randn(h)
    sd["cls.predictions.transform.dense.weight"] = torch.randn(h, h) * 0.2
    sd["cls.predictions.transform.dense.bias"] = torch.randn(h) * 0.1
    sd["cls.predictions.transform.LayerNorm.weight"] = 1 + 0.1 * torch.randn(h)
    sd["cls.predictions.transform.LayerNorm.bias"] = 0.1 * torch.randn(h)
    sd["cls.predictions.bias"] = torch.randn(cfg["vocab_size"]) * 0.1
    sd["cls.predictions.decoder.weight"] = sd["bert.embeddings.word_embeddings.weight"]
    sd["cls.predictions.decoder.bias"] = sd["cls.predictions.bias"]
    json.dump(cfg, open(f"{d}/config.json", "w"), indent=2)
    torch.save(sd, f"{d}/pytorch_model.bin")

    rng = np.random.default_rng(3)
    ids = rng.integers(2, cfg["vocab_size"], size=(3, 10)).astype(np.int64)
    mask = np.ones((3, 10), dtype=np.int64)
    mask[1, 6:] = 0
    mask[2, 3:] = 0
    ids[mask == 0] = 0
    pos = np.array([0, 4, 11, 13, 20], dtype=np.int64)
    hidden, logits = reference_forward(cfg, sd, ids, mask, pos)
    np.save(f"{d}/input_ids.npy", ids)
    np.save(f"{d}/attention_mask.npy", mask)
    np.save(f"{d}/positions.npy", pos)
    np.save(f"{d}/expected_hidden.npy", hidden.astype(np.float32))
    np.save(f"{d}/expected_logits.npy", logits.astype(np.float32))


if __name__ == "__main__":
    {"check": check, "make-hf": make_hf}[sys.argv[1]](sys.argv[2])
