#!/usr/bin/env python3
"""Retarget one GLIBCXX version requirement of an ELF shared object to an older, present version.

ld.so refuses to load a library whose .gnu.version_r lists a GLIBCXX version the system libstdc++ lacks,
even when no symbol uses it any more, so the entry itself must point at a version that exists.
Usage: retarget_verneed.py LIB MISSING_VERSION PRESENT_VERSION   (idempotent; exit 0 when nothing to do)
"""
import struct
import sys


def c_string(blob, offset):
    end = blob.index(0, offset)
    return blob[offset:end].decode()


def section_headers(blob):
    sh_offset, = struct.unpack_from("<Q", blob, 0x28)
    sh_entsize, sh_count, sh_strndx = struct.unpack_from("<HHH", blob, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", blob, sh_offset + i * sh_entsize) for i in range(sh_count)]
    names_offset = headers[sh_strndx][4]
    return {c_string(blob, names_offset + h[0]): h for h in headers}


def retarget(path, missing, present):
    blob = bytearray(open(path, "rb").read())
    if blob[:4] != b"\x7fELF" or blob[4] != 2:
        sys.exit(f"{path}: not a 64-bit ELF file")
    sections = section_headers(blob)
    dynstr = sections[".dynstr"][4]
    missing_entry, present_entry = None, None
    offset = sections[".gnu.version_r"][4]
    while True:
        _, count, file_name, aux, next_need = struct.unpack_from("<HHIII", blob, offset)
        if c_string(blob, dynstr + file_name).startswith("libstdc++"):
            entry = offset + aux
            for _ in range(count):
                vna_hash, _, _, vna_name, vna_next = struct.unpack_from("<IHHII", blob, entry)
                version = c_string(blob, dynstr + vna_name)
                if version == missing:
                    missing_entry = entry
                elif version == present:
                    present_entry = (vna_hash, vna_name)
                entry += vna_next
        if not next_need:
            break
        offset += next_need
    if missing_entry is None:
        print(f"{path}: no {missing} requirement (already retargeted)")
        return
    if present_entry is None:
        sys.exit(f"{path}: cannot retarget {missing}: no {present} entry to point at")
    struct.pack_into("<I", blob, missing_entry, present_entry[0])
    struct.pack_into("<I", blob, missing_entry + 8, present_entry[1])
    open(path, "wb").write(blob)
    print(f"{path}: {missing} requirement now points at {present}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    retarget(*sys.argv[1:])
