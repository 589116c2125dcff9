"""Writes the request bodies the HTTP load test sends: JSON and binary, for the shipped samples."""
import json, random, struct, sys, os

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
random.seed(7)

def write(name, inputs, binary_output=False):
    # JSON body.
    body = {"inputs": [{"name": n, "shape": s, "datatype": "FP32", "data": v} for n, s, v in inputs]}
    with open(f"{out}/{name}.json", "w") as f:
        json.dump(body, f)
    # Binary body: JSON header, then raw little-endian FP32 tensors in input order.
    header = {"inputs": [{"name": n, "shape": s, "datatype": "FP32", "parameters": {"binary_data_size": 4 * len(v)}} for n, s, v in inputs],
              "parameters": {"binary_data_output": True}}
    h = json.dumps(header).encode()
    with open(f"{out}/{name}.bin", "wb") as f:
        f.write(h)
        for _, _, v in inputs:
            f.write(struct.pack(f"<{len(v)}f", *v))
    with open(f"{out}/{name}.bin.header", "w") as f:
        f.write(str(len(h)))

write("simple", [("INPUT0", [1, 16], [random.uniform(-1, 1) for _ in range(16)]),
                 ("INPUT1", [1, 16], [random.uniform(-1, 1) for _ in range(16)])])
write("mlp_classifier", [("features", [1, 256], [random.uniform(-1, 1) for _ in range(256)])])
