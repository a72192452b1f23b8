#!/usr/bin/env python3
"""Writes a copy of a MedMNIST-style .npz whose train split ends with the paper's Fig. 6 injections.

Appended after the N original train images: 100 perturbed copies of train image SOURCE (a random 1-px shift with
edge replication plus uniform noise of at most +-6 grey levels), then 50 artefact images (blank, saturated,
stripes, random noise; random labels). Rows N..N+99 are the copies, N+100..N+149 the artefacts; the original
SOURCE is a duplicate too. The same recipe as tests/Medvis.Core.Tests/Quality/QualityInjection.cs.
Pure Python (no numpy): the .npy members are read and written by hand.

    scripts/qc-inject.py ../shared/data/pbc-bloodcells-28.npz /tmp/blood-injected.npz
"""
import ast
import random
import struct
import sys
import zipfile

SOURCE = 1234
COPIES = 100
ARTEFACTS = 50


def read_npy(data):
    assert data[:6] == b"\x93NUMPY", "not an .npy member"
    major = data[6]
    header_len = struct.unpack("<H" if major == 1 else "<I", data[8:10] if major == 1 else data[8:12])[0]
    start = (10 if major == 1 else 12) + header_len
    header = ast.literal_eval(data[(10 if major == 1 else 12):start].decode("latin1"))
    return header, data[start:]


def write_npy(descr, shape, body):
    shape_text = f"({shape[0]},)" if len(shape) == 1 else "(" + ", ".join(str(s) for s in shape) + ")"
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}"
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + body


def shifted_noisy_copy(image, height, width, channels, rng):
    dx, dy = rng.choice([-1, 0, 1]), rng.choice([-1, 0, 1])
    out = bytearray(len(image))
    for y in range(height):
        sy = min(max(y - dy, 0), height - 1)
        for x in range(width):
            sx = min(max(x - dx, 0), width - 1)
            for c in range(channels):
                value = image[(sy * width + sx) * channels + c] + rng.randint(-6, 6)
                out[(y * width + x) * channels + c] = min(max(value, 0), 255)
    return bytes(out)


def artefact(kind, height, width, channels, rng, images, count):
    size = height * width * channels
    if kind == 0:  # blank: one flat colour
        colour = [rng.randint(0, 255) for _ in range(channels)]
        return bytes(colour[i % channels] for i in range(size))
    if kind == 1:  # saturated: a real image over-exposed to near white
        base = images[rng.randrange(count) * size:][:size]
        return bytes(min(255, v * 4) for v in base)
    if kind == 2:  # stripes of a random period and direction
        period, vertical = rng.randint(2, 6), rng.random() < 0.5
        out = bytearray(size)
        for y in range(height):
            for x in range(width):
                on = ((x if vertical else y) // period) % 2 == 0
                for c in range(channels):
                    out[(y * width + x) * channels + c] = 230 if on else 20
        return bytes(out)
    return bytes(rng.randint(0, 255) for _ in range(size))  # random noise


def main(source_path, target_path):
    rng = random.Random(0)
    with zipfile.ZipFile(source_path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    image_header, images = read_npy(members["train_images.npy"])
    label_header, labels = read_npy(members["train_labels.npy"])
    assert image_header["descr"] == "|u1" and label_header["descr"] in ("|u1", "u1"), "uint8 images and labels expected"
    shape = image_header["shape"]
    count, height, width = shape[0], shape[1], shape[2]
    channels = shape[3] if len(shape) == 4 else 1
    size = height * width * channels
    label_width = len(labels) // count
    original = images[SOURCE * size:(SOURCE + 1) * size]
    new_images, new_labels = bytearray(images), bytearray(labels)
    for _ in range(COPIES):
        new_images += shifted_noisy_copy(original, height, width, channels, rng)
        new_labels += labels[SOURCE * label_width:(SOURCE + 1) * label_width]
    classes = max(labels) + 1
    for a in range(ARTEFACTS):
        new_images += artefact(a % 4, height, width, channels, rng, images, count)
        new_labels += bytes([rng.randrange(classes)] * label_width)
    total = count + COPIES + ARTEFACTS
    members["train_images.npy"] = write_npy("|u1", (total,) + tuple(shape[1:]), bytes(new_images))
    members["train_labels.npy"] = write_npy("|u1", (total,) + tuple(label_header["shape"][1:]), bytes(new_labels))
    with zipfile.ZipFile(target_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    print(f"{target_path}: train {count} + {COPIES} copies of image {SOURCE} (rows {count}..{count + COPIES - 1}) "
          f"+ {ARTEFACTS} artefacts (rows {count + COPIES}..{total - 1})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
