#!/usr/bin/python3
"""Writes the scikit-learn reference fixtures of the stratified split and the kNN evaluations.

Run from anywhere with Debian's python3-sklearn / python3-numpy (scikit-learn 1.2, NumPy 1.24):

    /usr/bin/python3 tests/Medvis.Core.Tests/ReferenceData/make_split_fixtures.py

The tests only read the JSON written here; they never run Python.

Files (compact JSON, next to this script):
- random_state.json: raw MT19937 outputs and RandomState.permutation results after NumPy's legacy int seeding.
- approximate_mode.json: sklearn.utils._approximate_mode(class_counts, n_draws, rng=seed), ties included.
- splits/<case>.json: labels and, per (seed, test_size), the train_idx / test_idx that
  train_test_split(arange(n), stratify=labels, test_size=..., random_state=seed) returns, in its order.
- maps/<case>.json: a labelled 2-D map (coordinates rounded to 4 decimals; scikit-learn scores them after a
  round trip through float32, as Medvis stores maps) and what scikit-learn computes on it:
  kNN accuracy (k = 15) on the seed-0 split, the accuracies on the splits of seeds 0..9 with their mean and
  population standard deviation (numpy.std), leave-one-out kNN accuracy, and the silhouette score, exact and on
  a third of the points (silhouette_score(sample_size=N // 3, random_state=0)).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import silhouette_score
from sklearn.model_selection import LeaveOneOut, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils import _approximate_mode

HERE = os.path.dirname(os.path.abspath(__file__))
K = 15
REPEATED_SEEDS = list(range(10))


def write(relative_path, content):
    path = os.path.join(HERE, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")
    print(f"{relative_path}: {os.path.getsize(path):,} bytes")


def versions():
    return {"sklearn": sklearn.__version__, "numpy": np.__version__}


def random_state_cases():
    raw = []
    for seed, draws in [(0, 700), (1, 20), (42, 20), (2**31 - 1, 20), (2**32 - 1, 700)]:
        bits = np.random.MT19937()
        bits._legacy_seeding(seed)
        # 700 draws cross the first regeneration of the 624-word state.
        raw.append({"seed": seed, "uint32": [int(v) for v in bits.random_raw(draws)]})
    permutations = []
    for seed, n in [(0, 1), (0, 2), (0, 10), (1, 10), (7, 100), (123, 1000), (2**31 - 1, 37)]:
        rng = np.random.RandomState(seed)
        first = rng.permutation(n)
        second = rng.permutation(n)  # continues the same stream
        permutations.append({"seed": seed, "n": n, "first": first.tolist(), "second": second.tolist()})
    return {**versions(), "raw": raw, "permutations": permutations}


def approximate_mode_cases():
    cases = []
    for counts, draws in [([4, 2], 3), ([5, 2], 4), ([2, 2, 2, 1], 2), ([3, 3, 3], 4), ([3, 3, 3], 5),
                          ([7, 7, 7, 7, 7], 9), ([1, 1, 1, 1, 1, 1], 3), ([10, 20, 30, 40], 17),
                          ([5, 5, 1], 7), ([1, 1], 1), ([100, 100, 3, 3, 3, 3], 21)]:
        for seed in [0, 1, 2, 42]:
            result = _approximate_mode(np.array(counts), draws, seed)
            cases.append({"counts": counts, "draws": draws, "seed": seed, "result": result.tolist()})
    return {**versions(), "cases": cases}


def sklearn_split(labels, seed, test_size):
    train, test = train_test_split(np.arange(len(labels)), stratify=labels, test_size=test_size, random_state=seed)
    return {"seed": seed, "test_size": test_size, "train_idx": train.tolist(), "test_idx": test.tolist()}


def labels_from_counts(counts, rng):
    labels = np.repeat(np.arange(len(counts)), counts)
    rng.shuffle(labels)
    return labels


def split_cases():
    rng = np.random.RandomState(20240501)
    cases = {
        "two_classes_20": (np.array([0, 1] * 10), [(0, 0.1), (1, 0.1), (5, 0.5)]),
        "equal_classes_ties": (labels_from_counts([7, 7, 7], rng), [(0, 0.25), (1, 0.25), (2, 0.1), (3, 0.33)]),
        "imbalanced_4": (labels_from_counts([500, 60, 25, 5], rng), [(0, 0.1), (2, 0.1), (9, 0.2)]),
        "many_classes_12": (labels_from_counts(list(rng.randint(3, 41, size=12)), rng), [(0, 0.2), (3, 0.3), (4, 0.15)]),
        "label_gaps": (np.array([5, 0, 2, 2, 5, 0, 0, 5, 2, 9, 9, 0, 2, 5, 9] * 4), [(0, 0.1), (6, 0.3)]),
        "sorted_labels_3": (np.repeat([0, 1, 2], [40, 33, 27]), [(0, 0.1), (8, 0.15)]),
        "pairs_many_classes": (labels_from_counts([2] * 30, rng), [(0, 0.5), (1, 0.5)]),
        "uniform_random_7": (rng.randint(0, 7, size=999), [(0, 0.1), (11, 0.37)]),
        "large_seed": (labels_from_counts([30, 20, 10], rng), [(2**31 - 1, 0.1), (123456789, 0.2)]),
        "blood_cells_17000": (labels_from_counts([1218, 3117, 1551, 2895, 1214, 1420, 3329, 2256], rng),
                              [(0, 0.1), (1, 0.1)]),
    }
    for name, (labels, variants) in cases.items():
        splits = [sklearn_split(labels, seed, test_size) for seed, test_size in variants]
        write(f"splits/{name}.json", {**versions(), "name": name, "labels": labels.tolist(), "splits": splits})
    return len(cases)


def vote(neighbour_labels, class_count):
    # KNeighborsClassifier (uniform weights) takes the mode of the neighbours' labels; the smallest tied label wins.
    return np.array([np.bincount(row, minlength=class_count).argmax() for row in neighbour_labels])


def assert_no_distance_tie(distances, context):
    # Among equal distances any neighbour may be picked; the fixtures keep the k-th and (k+1)-th apart.
    assert np.all(distances[:, K - 1] < distances[:, K]), f"{context}: a distance tie at the {K}th neighbour"


def knn_on_split(points, labels, seed):
    train, test = train_test_split(np.arange(len(labels)), stratify=labels, test_size=0.1, random_state=seed)
    fitted = KNeighborsClassifier(n_neighbors=K).fit(points[train], labels[train])
    distances, _ = NearestNeighbors(n_neighbors=K + 1).fit(points[train]).kneighbors(points[test])
    assert_no_distance_tie(distances, f"split {seed}")
    return float(np.mean(fitted.predict(points[test]) == labels[test]))


def leave_one_out(points, labels, check_with_cross_validation):
    searcher = NearestNeighbors(n_neighbors=K + 1).fit(points)
    distances, _ = searcher.kneighbors()  # without a query: each point's neighbours exclude itself
    assert_no_distance_tie(distances, "leave-one-out")
    _, neighbours = searcher.kneighbors(n_neighbors=K)
    accuracy = float(np.mean(vote(labels[neighbours], labels.max() + 1) == labels))
    if check_with_cross_validation:
        scores = cross_val_score(KNeighborsClassifier(n_neighbors=K), points, labels, cv=LeaveOneOut())
        assert scores.mean() == accuracy, (scores.mean(), accuracy)
    return accuracy


def blobs(rng, counts, spread):
    labels = labels_from_counts(counts, rng)
    angles = 2 * np.pi * labels / len(counts)
    centres = np.stack([10 * np.cos(angles), 10 * np.sin(angles)], axis=1)
    return centres + spread * rng.standard_normal((len(labels), 2)), labels


def map_case(name, points, labels, check_with_cross_validation):
    points = np.round(points, 4)
    scored = points.astype(np.float32).astype(np.float64)
    accuracies = [knn_on_split(scored, labels, seed) for seed in REPEATED_SEEDS]
    write(f"maps/{name}.json", {
        **versions(), "name": name, "k": K, "test_size": 0.1,
        "points": points.tolist(), "labels": labels.tolist(),
        "knn_accuracy": accuracies[0],
        "repeated_seeds": REPEATED_SEEDS,
        "repeated_accuracies": accuracies,
        "repeated_mean": float(np.mean(accuracies)),
        "repeated_std": float(np.std(accuracies)),
        "loo_accuracy": leave_one_out(scored, labels, check_with_cross_validation),
        "silhouette": float(silhouette_score(scored, labels)),
        "silhouette_sample_size": len(labels) // 3,
        "silhouette_sampled": float(silhouette_score(scored, labels, sample_size=len(labels) // 3, random_state=0)),
    })


def map_cases():
    rng = np.random.RandomState(7)
    map_case("blobs_3", *blobs(rng, [101, 103, 96], 5.0), True)
    map_case("overlap_5", *blobs(rng, [193, 224, 184, 206, 193], 4.0), True)
    map_case("random_labels_4", rng.uniform(-10, 10, (300, 2)), rng.randint(0, 4, 300), True)
    map_case("imbalanced_6", *blobs(rng, [600, 40, 250, 17, 90, 3], 3.5), True)
    map_case("blood_cells_17000", *blobs(rng, [1218, 3117, 1551, 2895, 1214, 1420, 3329, 2256], 4.5), False)
    return 5


if __name__ == "__main__":
    write("random_state.json", random_state_cases())
    write("approximate_mode.json", approximate_mode_cases())
    print(f"{split_cases()} split cases, {map_cases()} map cases")
