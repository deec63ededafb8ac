#!/usr/bin/python3
"""Expected values for the reader tests, computed with Debian's anndata 0.8.0, h5py and scipy.

Run from the repository root (writes expected.json beside this script):
    /usr/bin/python3 tests/Geneformer.Data.Tests/TestData/make_expected.py ../shared/data

For every .h5ad under the data folder and every matrix in it (auto = raw.X when present else X; X; raw; each
layer) it records the shape, the values' sum/nnz/min/max after conversion to float32 (what the C# reader yields),
per-cell nnz and sums of the first cells and the last, the first and last gene and cell ids, and a few obs values.
The 10x folders and .h5 files are read with scipy.io.mmread and h5py.
"""
import glob
import gzip
import json
import math
import os
import sys

import anndata
import h5py
import numpy as np
import pandas as pd
import scipy.io
import scipy.sparse as sp

FIRST_ROWS = 5


def text(value):
    """obs values as the C# reader returns them: None for missing, True/False, numbers and strings as text."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, bytes):
        return value.decode()
    return str(value)


def matrix_stats(m, var_names, obs_names):
    m = sp.csr_matrix(m) if sp.issparse(m) else np.asarray(m)
    if sp.issparse(m):
        m = m.astype(np.float32)
        values = m.data
        row_nnz = np.diff(sp.csr_matrix(m != 0).indptr) if m.nnz else np.zeros(m.shape[0], dtype=int)
        row_sums = np.asarray(m.astype(np.float64).sum(axis=1)).ravel()
        stored = m.nnz
    else:
        m = m.astype(np.float32)
        values = m.ravel()
        row_nnz = np.count_nonzero(m, axis=1)
        row_sums = m.astype(np.float64).sum(axis=1)
        stored = m.size
    finite = bool(np.all(np.isfinite(values)))
    rows = list(range(min(FIRST_ROWS, m.shape[0]))) + ([m.shape[0] - 1] if m.shape[0] > FIRST_ROWS else [])
    return {
        "n_obs": int(m.shape[0]),
        "n_vars": int(m.shape[1]),
        "stored": int(stored),
        "finite": finite,
        "sum": float(values.astype(np.float64).sum()) if finite else None,
        "nnz": int(np.count_nonzero(values)),
        "min": float(values.min()) if finite and values.size else 0.0,
        "max": float(values.max()) if finite and values.size else 0.0,
        "rows": rows,
        "row_nnz": [int(row_nnz[r]) for r in rows],
        "row_sums": [float(row_sums[r]) if finite else None for r in rows],
        "first_gene": str(var_names[0]) if len(var_names) else None,
        "last_gene": str(var_names[-1]) if len(var_names) else None,
        "first_cell": str(obs_names[0]),
        "last_cell": str(obs_names[-1]),
    }


def h5_layout(path, key):
    with h5py.File(path, "r") as f:
        if key not in f:
            return None
        o = f[key]
        if isinstance(o, h5py.Dataset):
            return "Dense"
        fmt = o.attrs.get("encoding-type", o.attrs.get("h5sparse_format"))
        fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
        return {"csr_matrix": "Csr", "csr": "Csr", "csc_matrix": "Csc", "csc": "Csc"}[fmt]


def anndata_file(path, rel):
    a = anndata.read_h5ad(path)
    entry = {"n_obs": int(a.n_obs), "n_vars": int(a.n_vars), "matrices": {}, "obs": {}, "var_columns": {}}
    candidates = {}
    if a.X is not None:
        candidates["X"] = ("X", a.X, a.var_names)
    if a.raw is not None:
        candidates["raw"] = ("raw/X", a.raw.X, a.raw.var_names)
    for name in a.layers.keys():
        candidates["layer:" + name] = ("layers/" + name, a.layers[name], a.var_names)
    if "raw" in candidates:
        candidates["auto"] = candidates["raw"]
    elif "X" in candidates:
        candidates["auto"] = candidates["X"]
    for option, (key, m, var_names) in candidates.items():
        stats = matrix_stats(m, list(var_names), list(a.obs_names))
        stats["path"] = key
        stats["layout"] = h5_layout(path, key)
        entry["matrices"][option] = stats
    entry["obs_columns"] = [str(c) for c in a.obs.columns]
    rows = sorted({0, 1, a.n_obs - 1} & set(range(a.n_obs)))
    for column in list(a.obs.columns)[:8]:
        series = a.obs[column]
        entry["obs"][str(column)] = {"rows": rows, "values": [text(series.iloc[r]) for r in rows],
                                     "missing": int(series.isna().sum())}
    for column in a.var.columns:
        series = a.var[column]
        if series.dtype == object or str(series.dtype) == "category":
            entry["var_columns"][str(column)] = [text(series.iloc[0]), text(series.iloc[-1])]
    return entry


def csc_genes_by_cells_stats(m, genes, barcodes):
    """10x stores genes x cells; the reader yields cells x genes."""
    return matrix_stats(sp.csr_matrix(m).T.tocsr(), genes, barcodes)


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def tenx_folder(folder):
    mtx = next(os.path.join(folder, n) for n in ("matrix.mtx.gz", "matrix.mtx") if os.path.exists(os.path.join(folder, n)))
    features = next(os.path.join(folder, n) for n in ("features.tsv.gz", "features.tsv", "genes.tsv.gz", "genes.tsv")
                    if os.path.exists(os.path.join(folder, n)))
    barcodes = next(os.path.join(folder, n) for n in ("barcodes.tsv.gz", "barcodes.tsv") if os.path.exists(os.path.join(folder, n)))
    genes = read_lines(features)
    cells = [row[0] for row in read_lines(barcodes)]
    stats = csc_genes_by_cells_stats(scipy.io.mmread(mtx), [g[0] for g in genes], cells)
    stats["first_symbol"], stats["last_symbol"] = genes[0][1], genes[-1][1]
    return stats


def tenx_h5(path):
    with h5py.File(path, "r") as f:
        if "matrix" in f:
            g = f["matrix"]
            genes = [x.decode() for x in g["features/id"][:]]
            symbols = [x.decode() for x in g["features/name"][:]]
        else:
            g = f[next(k for k in f.keys() if isinstance(f[k], h5py.Group) and "genes" in f[k])]
            genes = [x.decode() for x in g["genes"][:]]
            symbols = [x.decode() for x in g["gene_names"][:]]
        barcodes = [x.decode() for x in g["barcodes"][:]]
        shape = tuple(int(x) for x in g["shape"][:])
        m = sp.csc_matrix((g["data"][:], g["indices"][:], g["indptr"][:]), shape=shape)
    stats = csc_genes_by_cells_stats(m, genes, barcodes)
    stats["first_symbol"], stats["last_symbol"] = symbols[0], symbols[-1]
    return stats


def main(root):
    root = os.path.abspath(root)
    out = {"anndata": {}, "tenx": {}}
    for path in sorted(glob.glob(os.path.join(root, "**", "*.h5ad"), recursive=True)):
        rel = os.path.relpath(path, root)
        out["anndata"][rel] = anndata_file(path, rel)
    for path in sorted(glob.glob(os.path.join(root, "**", "matrix.mtx*"), recursive=True)):
        folder = os.path.dirname(path)
        out["tenx"][os.path.relpath(folder, root)] = tenx_folder(folder)
    for path in sorted(glob.glob(os.path.join(root, "**", "*.h5"), recursive=True)):
        out["tenx"][os.path.relpath(path, root)] = tenx_h5(path)
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected.json")
    with open(target, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {target}: {len(out['anndata'])} .h5ad files, {len(out['tenx'])} 10x inputs")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", "data"))
