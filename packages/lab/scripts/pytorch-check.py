"""The second half of the PyTorch check (see pytorch-check.ts): load an unroll checkpoint
into torch.nn modules with load_state_dict(strict=True), run them on the same inputs,
and compare with unroll's predictions.

The safetensors package is not needed: load_file below reads the format by hand (an
8-byte little-endian header length, a JSON header, then the raw tensor bytes). With the
package installed, `safetensors.torch.load_file(path)` returns the same dict.

    python3 scripts/pytorch-check.py runs/<run>
"""

import json
import struct
import sys

import torch


def load_file(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F64": torch.float64, "F32": torch.float32}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(data[8 + n + begin : 8 + n + end])
        tensors[name] = torch.frombuffer(raw, dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return tensors


folder = sys.argv[1]
check = json.load(open(f"{folder}/pytorch-check.json"))
tensors = load_file(f"{folder}/checkpoint.safetensors")

layer_class = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[check["cell"]]
batch, steps, input_size = check["inputShape"]
hidden = check["hidden"]
rnn = layer_class(input_size, hidden, num_layers=check["layers"], batch_first=True, dtype=torch.float64)
# The layer's own tensors have PyTorch's names and no dot; readout.*, optimizer.* and carried.* have one.
rnn.load_state_dict({k: v for k, v in tensors.items() if "." not in k})
readout = torch.nn.Linear(hidden, tensors["readout.weight"].shape[0], dtype=torch.float64)
readout.load_state_dict({"weight": tensors["readout.weight"], "bias": tensors["readout.bias"]})

x = torch.tensor(check["inputs"], dtype=torch.float64).reshape(batch, steps, input_size)
with torch.no_grad():
    output, _ = rnn(x)
    ours = readout(output[:, -1] if check["readout"] == "last" else output)
theirs = torch.tensor(check["predictions"], dtype=torch.float64).reshape(check["predictionShape"])
difference = (ours - theirs).abs().max().item()
print(f"{check['cell']} × {check['layers']}, hidden {hidden}: {ours.numel()} predictions, max |PyTorch − unroll| = {difference:.3g}")
sys.exit(0 if difference < 1e-10 else 1)
