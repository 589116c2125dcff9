#!/usr/bin/env python3
"""Trains the digits sample's classifier and writes everything derived from it.

Reproducible: the data set is scikit-learn's copy of the UCI 8x8 optical digits (1797 images, values
0..16, shipped with Debian's python3-sklearn), the split and the MLP are seeded. Run it with Debian's
interpreter (numpy, scikit-learn and onnx from apt: python3-sklearn python3-onnx):

    /usr/bin/python3 samples/packages/digits/src/training/train_digits.py

The model is trained on the plugin's own pre-processing of each image (canonicalize below, mirrored by
Preprocessor.cs), not on the raw 8x8 grids: served images are cropped to their ink and re-fitted, and
the dataset's digits do not all fill their grid the same way, so training on the raw grids would teach
the model a framing it never sees in service.

Writes:
  model/digits.onnx             pixels FP32 [N,64] (0..16) -> logits FP32 [N,10]; a 64-32-10 ReLU MLP
  tests/*.png                   images for the manifest's test cases (held-out digits, upscaled)
  src/training/heldout.csv      the held-out split: dataset index, label, the model's prediction,
                                the 64 raw values, the 64 pre-processed features
  src/training/metrics.json     accuracies measured here, read by the C# tests
"""
import json
import os
import struct
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

SEED = 0
UPSCALE = 8            # each dataset cell becomes an 8x8 block: 64x64 images
INK = 0.05             # a pixel is ink above this fraction of the image's contrast
MARGIN = 0.05          # of the ink box's longer side, on each side
MIN_CONTRAST = 16      # grey levels; flatter images have no ink to classify

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.abspath(os.path.join(HERE, "..", ".."))


def render(values8x8, inverted=False):
    """Dataset cell values 0..16 -> 8-bit grey image, nearest-neighbour upscaled (integer rounding, as the C# tests do)."""
    grey = (values8x8.astype(np.int64).reshape(8, 8) * 255 + 8) // 16
    grey = np.kron(grey, np.ones((UPSCALE, UPSCALE), dtype=np.int64))
    return (255 - grey if inverted else grey).astype(np.uint8)


def axis_weights(start, side, n):
    """Area-averaging weights of source pixels 0..n-1 for 8 cells of side/8 starting at start (outside the image is background)."""
    cell = side / 8
    w = np.zeros((8, n))
    for i in range(8):
        a, b = start + i * cell, start + (i + 1) * cell
        for p in range(max(0, int(np.floor(a))), min(n, int(np.ceil(b)))):
            w[i, p] = min(b, p + 1) - max(a, p)
    return w / cell


def canonicalize(grey):
    """The plugin's pre-processing: light-on-dark, contrast-stretched, cropped to the ink with a margin, area-averaged to 8x8, 0..16."""
    g = grey.astype(np.float64)
    border = np.concatenate([g[0, :], g[-1, :], g[1:-1, 0], g[1:-1, -1]]) if min(g.shape) > 1 else g.ravel()
    if border.mean() > 127.5:
        g = 255 - g
    lo, hi = g.min(), g.max()
    if hi - lo < MIN_CONTRAST:
        raise ValueError("blank image")
    n = (g - lo) / (hi - lo)
    ys, xs = np.nonzero(n > INK)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    side = max(x1 - x0, y1 - y0) * (1 + 2 * MARGIN)
    top, left = (y0 + y1) / 2 - side / 2, (x0 + x1) / 2 - side / 2
    wy, wx = axis_weights(top, side, g.shape[0]), axis_weights(left, side, g.shape[1])
    return (wy @ n @ wx.T * 16).reshape(64)


def png(grey_or_rgb):
    """A minimal PNG writer (8-bit grey or RGB, filter None): the manifest's sample images."""
    a = np.asarray(grey_or_rgb, dtype=np.uint8)
    colour = 0 if a.ndim == 2 else 2
    h, w = a.shape[:2]
    raw = b"".join(b"\x00" + a[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def export_onnx(model, path):
    # The MLP was fitted on pixels/16; folding that scale into the first layer keeps the model's input the dataset's 0..16.
    w1 = (model.coefs_[0] / 16).astype(np.float32)
    b1 = model.intercepts_[0].astype(np.float32)
    w2 = model.coefs_[1].astype(np.float32)
    b2 = model.intercepts_[1].astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["pixels", "W1", "B1"], ["hidden"]),
         helper.make_node("Relu", ["hidden"], ["hidden_relu"]),
         helper.make_node("Gemm", ["hidden_relu", "W2", "B2"], ["logits"])],
        "digits",
        [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["N", 64])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])],
        [numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(b1, "B1"),
         numpy_helper.from_array(w2, "W2"), numpy_helper.from_array(b2, "B2")])
    m = helper.make_model(graph, producer_name="train_digits.py", opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    m.doc_string = "8x8 digit classifier (UCI optical digits), 64-32-10 ReLU MLP; pixels 0..16 -> logits"
    onnx.checker.check_model(m)
    with open(path, "wb") as f:
        f.write(m.SerializeToString())
    return w1, b1, w2, b2


def main():
    digits = load_digits()
    x, y = digits.data, digits.target
    index = np.arange(len(y))
    train, test = train_test_split(index, test_size=0.25, random_state=SEED, stratify=y)
    features = np.array([canonicalize(render(v)) for v in x])

    model = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", alpha=1e-3, max_iter=2000, random_state=SEED)
    model.fit(features[train] / 16, y[train])
    w1, b1, w2, b2 = export_onnx(model, os.path.join(PACKAGE, "model", "digits.onnx"))

    # Accuracy of the exported float32 weights, computed as ONNX Runtime will (Gemm, Relu, Gemm).
    def predict(f):
        hidden = np.maximum(f.astype(np.float32) @ w1 + b1, 0)
        return np.argmax(hidden @ w2 + b2, axis=1)

    predicted = predict(features[test])
    metrics = {
        "dataset": "sklearn.datasets.load_digits (UCI optical recognition of handwritten digits, 8x8)",
        "images": int(len(y)), "train": int(len(train)), "test": int(len(test)), "seed": SEED,
        "model": "MLP 64-32-10 ReLU, adam, alpha 1e-3",
        "train_accuracy": float(np.mean(predict(features[train]) == y[train])),
        "test_accuracy": float(np.mean(predicted == y[test])),
    }
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")

    with open(os.path.join(HERE, "heldout.csv"), "w") as f:
        f.write("index,label,predicted," + ",".join(f"p{i}" for i in range(64)) + "," + ",".join(f"f{i}" for i in range(64)) + "\n")
        for i, p in zip(test, predicted):
            f.write(f"{i},{y[i]},{p}," + ",".join(str(int(v)) for v in x[i]) + "," + ",".join(f"{v:.6f}" for v in features[i]) + "\n")

    # Manifest test images: the first correctly classified held-out image of a few digits, in several forms.
    correct = [i for i, p in zip(test, predicted) if p == y[i]]
    first = {d: next(i for i in correct if y[i] == d) for d in (0, 3, 7)}
    tests = os.path.join(PACKAGE, "tests")
    with open(os.path.join(tests, "seven.png"), "wb") as f:
        f.write(png(render(x[first[7]])))
    with open(os.path.join(tests, "three_dark_on_light.png"), "wb") as f:
        f.write(png(render(x[first[3]], inverted=True)))
    with open(os.path.join(tests, "zero_rgb.png"), "wb") as f:
        grey = render(x[first[0]], inverted=True)
        f.write(png(np.stack([grey, grey // 2 + 64, grey], axis=-1)))  # a greenish-paper photo, still dark ink
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
