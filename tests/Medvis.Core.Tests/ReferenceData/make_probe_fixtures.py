#!/usr/bin/python3
"""Writes the scikit-learn reference fixtures of the k-fold linear probe.

Run from anywhere with Debian's python3-sklearn / python3-numpy (scikit-learn 1.2, NumPy 1.24):

    /usr/bin/python3 tests/Medvis.Core.Tests/ReferenceData/make_probe_fixtures.py

The tests only read the JSON written here; they never run Python.

Files (compact JSON, in probe/ next to this script):
- folds_<case>.json: labels and, per seed, the test fold of every point that
  StratifiedKFold(n_splits, shuffle=True, random_state=seed) gives (fold i tests the points marked i).
- auc_<case>.json: labels, a score matrix (rows x classes) and roc_auc_score: binary on column 1 for two classes,
  multi_class="ovr", average="macro" for more; ties included.
- probe_<case>.json: standardisable features and labels, and the mean over StratifiedKFold(10, shuffle=True,
  random_state=0) of each fold's ROC-AUC of LogisticRegression(C=1) fitted on StandardScaler'd training folds
  (Medvis's probe fits the same penalised model with Adam, so it agrees to about 0.01, not bit for bit).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe")


def write(name, content):
    os.makedirs(HERE, exist_ok=True)
    content["versions"] = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    path = os.path.join(HERE, name + ".json")
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")
    print(f"probe/{name}.json: {os.path.getsize(path):,} bytes")


def folds(name, labels, n_splits=10, seeds=(0, 1, 42)):
    labels = np.asarray(labels)
    out = {"labels": labels.tolist(), "n_splits": n_splits, "seeds": list(seeds), "test_folds": []}
    for seed in seeds:
        test_folds = np.empty(len(labels), dtype=int)
        for i, (_, test) in enumerate(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(np.zeros(len(labels)), labels)):
            test_folds[test] = i
        out["test_folds"].append(test_folds.tolist())
    write("folds_" + name, out)


def auc(name, labels, scores):
    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=float)
    if scores.shape[1] == 2:
        value = roc_auc_score(labels, scores[:, 1])
    else:
        value = roc_auc_score(labels, scores, multi_class="ovr", average="macro")
    write("auc_" + name, {"labels": labels.tolist(), "scores": scores.tolist(), "auc": float(value)})


def probe(name, features, labels):
    fold_auc = []
    for train, test in StratifiedKFold(10, shuffle=True, random_state=0).split(features, labels):
        scaler = StandardScaler().fit(features[train])
        model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(features[train]), labels[train])
        proba = model.predict_proba(scaler.transform(features[test]))
        if proba.shape[1] == 2:
            fold_auc.append(roc_auc_score(labels[test], proba[:, 1]))
        else:
            fold_auc.append(roc_auc_score(labels[test], proba, multi_class="ovr", average="macro"))
    write("probe_" + name, {"features": np.round(features, 4).tolist(), "labels": labels.tolist(),
                            "fold_auc": fold_auc, "mean_auc": float(np.mean(fold_auc))})


rng = np.random.RandomState(3)
folds("two_classes_unbalanced", [0] * 37 + [1] * 113)
folds("order_of_appearance", rng.permutation(np.repeat([4, 1, 2], [23, 31, 17])).tolist())
folds("five_classes_shuffled", rng.randint(0, 5, size=203).tolist(), n_splits=10)
folds("three_folds", rng.randint(0, 3, size=40).tolist(), n_splits=3)

labels = rng.randint(0, 2, size=120)
auc("binary_ties", labels, np.stack([1 - np.round(rng.rand(120) * 5) / 5, np.round(rng.rand(120) * 5) / 5 + 0.2 * labels], 1))
labels = rng.randint(0, 4, size=150)
logits = rng.randn(150, 4) + 1.5 * np.eye(4)[labels]
auc("four_classes", labels, np.exp(logits) / np.exp(logits).sum(1, keepdims=True))

labels = rng.randint(0, 2, size=200)
features = rng.randn(200, 12) + 0.6 * labels[:, None] * (np.arange(12) < 3)
probe("binary_12d", features, labels)
labels = rng.randint(0, 3, size=240)
features = rng.randn(240, 8) + 0.8 * np.eye(3, 8)[labels]
probe("three_classes_8d", features, labels)
