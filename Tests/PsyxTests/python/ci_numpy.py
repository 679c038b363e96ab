#!/usr/bin/env python3
"""An independent classification-image implementation in numpy, for AnalysisNumpyTests.

usage: ci_numpy.py PACK_DIR REPLIES_JSON PSYX_PNG_DIR

PACK_DIR holds the pack's images (8-bit PNG content, whatever the extension), named
..._NNNNN_ori.* / ..._NNNNN_inv.*, and maybe base.png: the base face, stretched to 0...1 as rcicr
does; without it the base is recovered from the images' mean as 2*mean - 0.5. REPLIES_JSON is the body of /api/admin/download. PSYX_PNG_DIR
holds Psyx's pictures to check: pack_independent.png, pack_autoscale.png,
reply_<r_id>_independent.png, reply_<r_id>_autoscale.png (any subset). Prints a JSON object:
picture name -> largest per-pixel difference in grey levels between Psyx and numpy.
"""
import json
import os
import re
import struct
import sys
import zlib

import numpy as np

NAME = re.compile(r"(\d{5})_(ori|inv)\.(jpe?g|png)$", re.IGNORECASE)


def read_png(path):
    """8-bit greyscale or RGB(A) PNG, no interlace, to a float array of grey levels."""
    with open(path, "rb") as handle:
        data = handle.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0 and color in (0, 2, 4, 6), (path, header)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int64)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int64)
        up = out[y - 1] if y > 0 else np.zeros(stride, dtype=np.int64)
        if kind == 0:
            out[y] = line
        elif kind == 2:
            out[y] = (line + up) % 256
        else:
            recon = np.zeros(stride, dtype=np.int64)
            for x in range(stride):
                left = recon[x - channels] if x >= channels else 0
                corner = up[x - channels] if x >= channels else 0
                if kind == 1:
                    pred = left
                elif kind == 3:
                    pred = (left + up[x]) // 2
                else:
                    p = left + up[x] - corner
                    pa, pb, pc = abs(p - left), abs(p - up[x]), abs(p - corner)
                    pred = left if pa <= pb and pa <= pc else (up[x] if pb <= pc else corner)
                recon[x] = (line[x] + pred) % 256
            out[y] = recon
    pixels = out.reshape(height, width, channels).astype(np.float64)
    if channels >= 3:
        return np.floor((299 * pixels[..., 0] + 587 * pixels[..., 1] + 114 * pixels[..., 2] + 500) / 1000)
    return pixels[..., 0]


def main(pack_dir, replies_path, psyx_dir):
    images = {}
    for entry in os.listdir(pack_dir):
        match = NAME.search(entry)
        if match:
            images[(int(match.group(1)), match.group(2).lower())] = entry
    numbers = sorted({number for number, _ in images})
    ori = np.stack([read_png(os.path.join(pack_dir, images[(n, "ori")])) for n in numbers])
    inv = np.stack([read_png(os.path.join(pack_dir, images[(n, "inv")])) for n in numbers])
    noise = ori - inv                                   # pairs x height x width
    mean = (ori.sum(axis=0) + inv.sum(axis=0)) / (2 * len(numbers)) / 255.0
    base_path = os.path.join(pack_dir, "base.png")
    if os.path.exists(base_path):
        face = read_png(base_path)
        base = (face - face.min()) / (face.max() - face.min())
    else:
        base = np.clip(2 * mean - 0.5, 0, 1)
    index = {n: i for i, n in enumerate(numbers)}

    with open(replies_path, encoding="utf-8") as handle:
        replies = json.load(handle)["replies"]
    responses = {}
    for reply in replies:
        r = np.zeros(len(numbers))
        for key, _rt, left, right in reply["answers"]:
            chosen = left if key.upper() == "F" else right if key.upper() == "J" else None
            if chosen is None:
                continue
            match = NAME.search(chosen)
            r[index[int(match.group(1))]] = 1.0 if match.group(2).lower() == "ori" else -1.0
        responses[reply["r_id"]] = r

    # Pack CI as rcicr's group CI: mean response per stimulus, then the mean over stimuli.
    stacked = np.stack(list(responses.values()))
    answered = (stacked != 0).sum(axis=0)
    mean_response = np.where(answered > 0, stacked.sum(axis=0) / np.maximum(answered, 1), 0.0)
    cis = {"pack": np.tensordot(mean_response, noise, axes=1) / max((answered > 0).sum(), 1)}
    for r_id, r in responses.items():
        cis["reply_%d" % r_id] = np.tensordot(r, noise, axes=1) / max((r != 0).sum(), 1)
    shared = max(np.abs(ci).max() for ci in cis.values())

    def picture(ci, constant):
        scaled = (ci + constant) / (2 * constant) if constant > 0 else np.full(ci.shape, 0.5)
        return np.clip(np.round((scaled + base) / 2 * 255), 0, 255)

    report = {}
    for name, ci in cis.items():
        for scaling, constant in (("independent", np.abs(ci).max()), ("autoscale", shared)):
            path = os.path.join(psyx_dir, "%s_%s.png" % (name, scaling))
            if os.path.exists(path):
                report["%s_%s" % (name, scaling)] = float(np.abs(read_png(path) - picture(ci, constant)).max())
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:4])
