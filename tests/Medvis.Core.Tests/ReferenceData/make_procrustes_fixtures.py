#!/usr/bin/python3
"""Writes the SciPy reference fixtures of the Procrustes alignment of one map onto another.

Run from anywhere with Debian's python3-scipy / python3-numpy (SciPy 1.10, NumPy 1.24):

    /usr/bin/python3 tests/Medvis.Core.Tests/ReferenceData/make_procrustes_fixtures.py

The tests only read the JSON written here; they never run Python.

procrustes/<case>.json holds a reference map and a moving map (matched row by row, rounded through float32 as
Medvis stores maps) and what SciPy computes for them:
- rotation, scale: scipy.linalg.orthogonal_procrustes(B, A) on the centred maps gives R and the sum of the singular
  values; the uniform scale is that sum divided by the squared norm of B;
- aligned: the moving map after the transform, scale * B @ R + mean(A);
- disparity: scipy.spatial.procrustes(A, B)[2], the residual after both are centred and scaled to unit norm.
"""
import json
import os

import numpy as np
import scipy
from scipy.linalg import orthogonal_procrustes
from scipy.spatial import procrustes

HERE = os.path.dirname(os.path.abspath(__file__))


def write(relative_path, content):
    path = os.path.join(HERE, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")
    print(f"{relative_path}: {os.path.getsize(path):,} bytes")


def as_stored(points):
    """A map as Medvis stores it: float32 coordinates, read back as float64."""
    return points.astype(np.float32).astype(np.float64)


def rotation(degrees):
    a = np.deg2rad(degrees)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def case(name, reference, moving):
    reference, moving = as_stored(reference), as_stored(moving)
    a0 = reference - reference.mean(axis=0)
    b0 = moving - moving.mean(axis=0)
    r, singular_sum = orthogonal_procrustes(b0, a0)
    scale = singular_sum / (b0 ** 2).sum()
    aligned = scale * b0 @ r + reference.mean(axis=0)
    _, _, disparity = procrustes(reference, moving)
    write(f"procrustes/{name}.json", {
        "versions": {"scipy": scipy.__version__, "numpy": np.__version__},
        "reference": reference.tolist(),
        "moving": moving.tolist(),
        "rotation": r.tolist(),
        "scale": float(scale),
        "reflects": bool(np.linalg.det(r) < 0),
        "aligned": aligned.tolist(),
        "disparity": float(disparity),
    })


def main():
    rng = np.random.RandomState(0)
    blobs = np.concatenate([rng.normal(loc, 1.0, size=(30, 2)) for loc in [(0, 0), (8, 1), (3, 9)]])
    # A rotated, mirrored, scaled and shifted copy with noise: the transform must be recovered despite the noise.
    mirrored = (blobs @ rotation(137) @ np.diag([1, -1])) * 0.25 + np.array([40, -7]) + rng.normal(0, 0.05, blobs.shape)
    case("mirrored_noisy", blobs, mirrored)
    # A pure rotation with stronger noise: no mirror may be introduced.
    rotated = (blobs @ rotation(-63)) * 3.0 + np.array([-5, 12]) + rng.normal(0, 0.6, blobs.shape)
    case("rotated_noisy", blobs, rotated)
    # Unrelated maps: the fit is poor (disparity near 1) but must still match SciPy.
    case("unrelated", rng.uniform(-10, 10, size=(50, 2)), rng.normal(0, 3, size=(50, 2)))
    # A near-degenerate moving map (almost on a line): the 2×2 SVD has one tiny singular value.
    line = np.column_stack([np.linspace(-4, 4, 25), 0.01 * rng.normal(size=25)])
    case("nearly_a_line", line @ rotation(20) * 2 + 1, line + rng.normal(0, 0.3, line.shape))


if __name__ == "__main__":
    main()
