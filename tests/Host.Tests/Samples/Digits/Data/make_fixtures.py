#!/usr/bin/env python3
"""Writes the image fixtures of the digits plugin's decoder tests, each beside the exact pixels it holds.

The PNGs come from a writer independent of the plugin's decoder (this file: zlib and struct, with a
chosen filter per row) and from ImageMagick; every one is read back with Pillow and compared with the
source pixels before it is kept, so a fixture is known good before the C# decoder sees it. Run with
Debian's interpreter (numpy, Pillow: python3-numpy python3-pil imagemagick):

    /usr/bin/python3 tests/Host.Tests/Samples/Digits/Data/make_fixtures.py

Writes <name>.png or <name>.pgm and <name>.raw (the expected samples, channels interleaved, rows packed).
"""
import os
import struct
import subprocess
import tempfile
import zlib

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERT = "/usr/bin/convert"  # Debian's imagemagick (a stand-in of that name may come first on the PATH)
CHANNELS = {0: 1, 4: 2, 2: 3, 6: 4}
NAMES = {0: "grey", 4: "grey_alpha", 2: "rgb", 6: "rgba"}
FILTERS = {0: "none", 1: "sub", 2: "up", 3: "average", 4: "paeth"}


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prev, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out[i] = (row[i] - predictor) & 0xFF
    return bytes([kind]) + bytes(out)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(pixels, colour, filters, idat_splits=(), extra_chunks=()):
    h, w = pixels.shape[:2]
    bpp = CHANNELS[colour]
    rows = pixels.reshape(h, w * bpp)
    raw, prev = b"", bytes(w * bpp)
    for y in range(h):
        raw += filter_row(filters[y % len(filters)], bytes(rows[y]), prev, bpp)
        prev = bytes(rows[y])
    data = zlib.compress(raw, 9)
    cuts = [0, *idat_splits, len(data)]
    idats = b"".join(chunk(b"IDAT", data[a:b]) for a, b in zip(cuts, cuts[1:]))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))
            + b"".join(extra_chunks) + idats + chunk(b"IEND", b""))


def check_with_pillow(path, expected):
    with Image.open(path) as im:
        im.load()
        got = np.asarray(im)
    assert got.shape[:2] == expected.shape[:2], (path, got.shape, expected.shape)
    assert np.array_equal(got.reshape(expected.shape), expected), path


def save(name, encoded, pixels, ext="png"):
    path = os.path.join(HERE, f"{name}.{ext}")
    with open(path, "wb") as f:
        f.write(encoded)
    check_with_pillow(path, pixels)
    with open(os.path.join(HERE, f"{name}.raw"), "wb") as f:
        f.write(pixels.astype(np.uint8).tobytes())


def main():
    rng = np.random.default_rng(20260101)
    # Odd sizes so that rows are not a multiple of any pixel size; random samples so every filter's arithmetic wraps.
    for colour, channels in CHANNELS.items():
        shape = (7, 13) if channels == 1 else (7, 13, channels)
        pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
        for kind, name in FILTERS.items():
            save(f"{NAMES[colour]}_{name}", png(pixels, colour, [kind]), pixels)
        save(f"{NAMES[colour]}_mixed", png(pixels, colour, [4, 3, 2, 1, 0, 1, 4]), pixels)

    # Image data over several IDAT chunks (one of a single byte), with ancillary chunks before them.
    pixels = rng.integers(0, 256, size=(9, 11, 4), dtype=np.uint8)
    extras = (chunk(b"tEXt", b"Comment\x00digits fixture"), chunk(b"gAMA", struct.pack(">I", 45455)))
    save("rgba_split_idat", png(pixels, 6, [1, 2, 3, 4], idat_splits=(1, 40), extra_chunks=extras), pixels)

    # ImageMagick's own encoder (its filter choice, its zlib settings), from a PGM and a PPM written here.
    with tempfile.TemporaryDirectory() as tmp:
        grey = rng.integers(0, 256, size=(24, 17), dtype=np.uint8)
        src = os.path.join(tmp, "grey.pgm")
        with open(src, "wb") as f:
            f.write(b"P5\n17 24\n255\n" + grey.tobytes())
        out = os.path.join(tmp, "out.png")
        subprocess.run([CONVERT, src, "-define", "png:color-type=0", "-define", "png:bit-depth=8", out], check=True)
        with open(out, "rb") as f:
            save("magick_grey", f.read(), grey)
        rgb = rng.integers(0, 256, size=(16, 21, 3), dtype=np.uint8)
        src = os.path.join(tmp, "rgb.ppm")
        with open(src, "wb") as f:
            f.write(b"P6\n21 16\n255\n" + rgb.tobytes())
        subprocess.run([CONVERT, src, "-define", "png:color-type=2", "-define", "png:bit-depth=8", out], check=True)
        with open(out, "rb") as f:
            save("magick_rgb", f.read(), rgb)
        # Refused formats, as a real encoder writes them: Adam7 interlaced, 16-bit, palette.
        subprocess.run([CONVERT, src, "-interlace", "PNG", "-define", "png:color-type=2", "-define", "png:bit-depth=8", out], check=True)
        with open(out, "rb") as f:
            data = f.read()
        assert data[28] == 1, "expected an interlaced PNG"
        with open(os.path.join(HERE, "refused_interlaced.png"), "wb") as f:
            f.write(data)
        subprocess.run([CONVERT, src, "-depth", "16", "-define", "png:bit-depth=16", out], check=True)
        with open(out, "rb") as f:
            data = f.read()
        assert data[24] == 16, "expected a 16-bit PNG"
        with open(os.path.join(HERE, "refused_16bit.png"), "wb") as f:
            f.write(data)
    Image.fromarray(rng.integers(0, 4, size=(8, 8), dtype=np.uint8), mode="P").save(os.path.join(HERE, "refused_palette.png"))

    # PGM: comments in the header; and a 16-bit PGM (maxval 1000), whose samples scale to 0..255.
    grey = rng.integers(0, 256, size=(5, 6), dtype=np.uint8)
    save("pgm_comments", b"P5 # binary grey\n# made by make_fixtures.py\n6\t5\n# maxval next\n255\n" + grey.tobytes(), grey, ext="pgm")
    wide = rng.integers(0, 1001, size=(4, 3)).astype(">u2")
    scaled = ((wide.astype(np.int64) * 255 + 500) // 1000).astype(np.uint8)
    path = os.path.join(HERE, "pgm_16bit.pgm")
    with open(path, "wb") as f:
        f.write(b"P5\n3 4\n1000\n" + wide.tobytes())
    with Image.open(path) as im:  # Pillow reads a 16-bit PGM as 32-bit integers, rescaled to 0..65535
        assert np.abs(np.asarray(im) - wide.astype(np.int64) * 65535 / 1000).max() <= 1, path
    with open(os.path.join(HERE, "pgm_16bit.raw"), "wb") as f:
        f.write(scaled.tobytes())


if __name__ == "__main__":
    main()
