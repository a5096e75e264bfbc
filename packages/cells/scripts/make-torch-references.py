#!/usr/bin/env python3
"""PyTorch reference numbers for @unroll/cells' tests.

    python3 scripts/make-torch-references.py                 # writes test/fixtures/*
    python3 scripts/make-torch-references.py --check FILE    # PyTorch reads an unroll file

Everything runs in float64 with seeded weights and inputs. For each cell
(RNNCell tanh/relu, LSTMCell, GRUCell) and each stacked layer (RNN, LSTM, GRU;
several layers, bidirectional, variable lengths through pack_padded_sequence)
it runs a forward pass and a backward pass of a fixed loss, and writes JSON:
the inputs, the parameters under PyTorch's names, the outputs, the final states
and the gradient of the loss with respect to every input and parameter.

The loss is a fixed linear functional of everything the module returns,
    loss = Σ output ⊙ W_out + Σ h_n ⊙ W_h (+ Σ c_n ⊙ W_c),
with W_* drawn once and written to the file, so the gradients reach every path.

The GRU of Cho et al. (2014) — Keras' reset_after=False, where the reset gate
multiplies h before W_hn — is not a PyTorch module; it is written here from its
equations with torch ops, and its gradients come from torch.autograd.

safetensors: the `safetensors` Python package is not installed on this machine,
so the file format is written and read by hand below (struct + json, following
the format's README: u64 little-endian header length, JSON header, data buffer).
When `import safetensors` works the script cross-checks with it as well.
  - test/fixtures/torch-lstm.safetensors: the state dict of the 'lstm-2-layers-
    bidirectional-packed' layer, written from PyTorch; the tests load it into an
    unroll LSTM and compare its outputs with the JSON reference.
  - `--check FILE`: reads a file written by unroll (see write-unroll-safetensors.ts),
    loads it into the PyTorch module named in its metadata with
    load_state_dict(strict=True), runs the input stored in the file and compares
    the output stored in the file.
"""

import json
import struct
import subprocess
import sys
from pathlib import Path

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_default_dtype(torch.float64)
FIXTURES = Path(__file__).resolve().parent.parent / "test" / "fixtures"


def flat(t):
    """A tensor as {shape, data}: row-major floats, repr-exact in JSON."""
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def randn(generator, *shape):
    return torch.randn(*shape, generator=generator, dtype=torch.float64)


# ---------------------------------------------------------------- cells ----

def gru_cell_cho(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of the Cho et al. GRU: n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)."""
    H = h.shape[1]
    gi = x @ weight_ih.T + bias_ih
    W_hr, W_hz, W_hn = weight_hh[:H], weight_hh[H:2 * H], weight_hh[2 * H:]
    b_hr, b_hz, b_hn = bias_hh[:H], bias_hh[H:2 * H], bias_hh[2 * H:]
    r = torch.sigmoid(gi[:, :H] + h @ W_hr.T + b_hr)
    z = torch.sigmoid(gi[:, H:2 * H] + h @ W_hz.T + b_hz)
    n = torch.tanh(gi[:, 2 * H:] + (r * h) @ W_hn.T + b_hn)
    return (1 - z) * n + z * h


def cell_case(name, kind, options, batch, steps, seed):
    """Runs a cell for `steps` steps from a given (or zero) state; loss on every step's state."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    I, H = options["inputSize"], options["hiddenSize"]
    bias = options.get("bias", True)
    if kind == "RNNCell":
        cell = nn.RNNCell(I, H, bias=bias, nonlinearity=options.get("nonlinearity", "tanh"))
    elif kind == "LSTMCell":
        cell = nn.LSTMCell(I, H, bias=bias)
    else:  # both GRU variants share PyTorch's GRUCell parameters
        cell = nn.GRUCell(I, H, bias=bias)
    params = dict(cell.named_parameters())
    with torch.no_grad():  # wider than the default init, so the gates leave their linear range
        for p in params.values():
            p.mul_(2.0)

    xs = randn(g, steps, batch, I).requires_grad_()
    h0 = (0.5 * randn(g, batch, H)).requires_grad_()
    c0 = (0.5 * randn(g, batch, H)).requires_grad_()
    w_h = randn(g, steps, batch, H)
    w_c = randn(g, steps, batch, H)

    h, c = h0, c0
    hs, cs = [], []
    loss = torch.zeros(())
    for t in range(steps):
        if kind == "LSTMCell":
            h, c = cell(xs[t], (h, c))
            cs.append(c)
            loss = loss + (c * w_c[t]).sum()
        elif kind == "GRUCell" and not options.get("resetAfter", True):
            h = gru_cell_cho(xs[t], h, params["weight_ih"], params["weight_hh"],
                             params.get("bias_ih", torch.zeros(3 * H)),
                             params.get("bias_hh", torch.zeros(3 * H)))
        else:
            h = cell(xs[t], h)
        hs.append(h)
        loss = loss + (h * w_h[t]).sum()
    loss.backward()

    case = {
        "name": name, "module": kind, "options": options,
        "x": flat(xs), "h0": flat(h0),
        "parameters": {k: flat(v) for k, v in params.items()},
        "lossWeights": {"h": flat(w_h)},
        "h": flat(torch.stack(hs)), "loss": float(loss),
        "grad": {"x": flat(xs.grad), "h0": flat(h0.grad)},
    }
    if kind == "LSTMCell":
        case["c0"] = flat(c0)
        case["c"] = flat(torch.stack(cs))
        case["lossWeights"]["c"] = flat(w_c)
        case["grad"]["c0"] = flat(c0.grad)
    for k, v in params.items():
        case["grad"][k] = flat(v.grad)
    return case


# --------------------------------------------------------------- layers ----

def make_layer(kind, options):
    common = dict(
        input_size=options["inputSize"], hidden_size=options["hiddenSize"],
        num_layers=options.get("numLayers", 1), bias=options.get("bias", True),
        batch_first=options.get("batchFirst", True),
        bidirectional=options.get("bidirectional", False),
    )
    if kind == "RNN":
        return nn.RNN(nonlinearity=options.get("nonlinearity", "tanh"), **common)
    return nn.LSTM(**common) if kind == "LSTM" else nn.GRU(**common)


def layer_case(name, kind, options, batch, steps, seed, lengths=None, with_state=True):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    layer = make_layer(kind, options)
    params = dict(layer.named_parameters())
    with torch.no_grad():
        for p in params.values():
            p.mul_(1.5)
    I, H = options["inputSize"], options["hiddenSize"]
    D = 2 if options.get("bidirectional", False) else 1
    L = options.get("numLayers", 1)
    batch_first = options.get("batchFirst", True)

    x = randn(g, batch, steps, I) if batch_first else randn(g, steps, batch, I)
    x.requires_grad_()
    h0 = (0.5 * randn(g, L * D, batch, H)).requires_grad_()
    c0 = (0.5 * randn(g, L * D, batch, H)).requires_grad_()
    state = ((h0, c0) if kind == "LSTM" else h0) if with_state else None

    if lengths is None:
        output, final = layer(x, state)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first,
                                      enforce_sorted=False)
        packed_output, final = layer(packed, state)
        output, _ = pad_packed_sequence(packed_output, batch_first=batch_first,
                                        total_length=steps)
    h_n, c_n = final if kind == "LSTM" else (final, None)

    w_out = randn(g, *output.shape)
    w_h = randn(g, *h_n.shape)
    loss = (output * w_out).sum() + (h_n * w_h).sum()
    if c_n is not None:
        w_c = randn(g, *c_n.shape)
        loss = loss + (c_n * w_c).sum()
    loss.backward()

    case = {
        "name": name, "module": kind, "options": options, "lengths": lengths,
        "x": flat(x),
        "parameters": {k: flat(v) for k, v in params.items()},
        "lossWeights": {"output": flat(w_out), "h": flat(w_h)},
        "output": flat(output), "h": flat(h_n), "loss": float(loss),
        "grad": {"x": flat(x.grad)},
    }
    if with_state:
        case["h0"] = flat(h0)
        case["grad"]["h0"] = flat(h0.grad)
    if kind == "LSTM":
        case["c"] = flat(c_n)
        case["lossWeights"]["c"] = flat(w_c)
        if with_state:
            case["c0"] = flat(c0)
            case["grad"]["c0"] = flat(c0.grad)
    for k, v in params.items():
        case["grad"][k] = flat(v.grad)
    return case, layer


# ---------------------------------------------------------- safetensors ----

DTYPES = {"F64": ("<d", 8, torch.float64), "F32": ("<f", 4, torch.float32)}


def write_safetensors(path, tensors, metadata=None):
    """The format by hand: header padded with spaces to 8 bytes, tensors in name order."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().to(torch.float64)
        data = struct.pack("<%dd" % t.numel(), *t.reshape(-1).tolist())
        header[name] = {"dtype": "F64", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def read_safetensors(path):
    """Returns ({name: tensor}, metadata); checks the offsets tile the buffer."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    buffer = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors, spans = {}, []
    for name, info in header.items():
        fmt, size, dtype = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            count *= d
        assert end - begin == count * size, name
        values = struct.unpack("<%d%s" % (count, fmt[1]), buffer[begin:end])
        tensors[name] = torch.tensor(values, dtype=dtype).reshape(info["shape"]).to(torch.float64)
        spans.append((begin, end))
    spans.sort()
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])) and (not spans or spans[-1][1] == len(buffer))
    return tensors, metadata


def check_unroll_file(path):
    """PyTorch loads an unroll-written state dict and reproduces unroll's output."""
    tensors, metadata = read_safetensors(Path(path))
    try:
        from safetensors.torch import load_file  # noqa: F401  (cross-check when installed)
        library = load_file(path)
        for name, t in library.items():
            assert torch.equal(t.to(torch.float64), tensors[name]), name
        print("safetensors.torch.load_file agrees with the hand-written reader")
    except ImportError:
        print("(safetensors package not installed: hand-written reader only)")
    options = json.loads(metadata["options"])
    layer = make_layer(metadata["module"], options)
    x = tensors.pop("input")
    expected = tensors.pop("output")
    layer.load_state_dict(tensors, strict=True)
    with torch.no_grad():
        output, _ = layer(x)
    error = (output - expected).abs().max().item()
    print(f"{path}: {metadata['module']} {options} loaded; max |torch − unroll| = {error:.3g}")
    assert error < 1e-12, error


# ----------------------------------------------------------------- main ----

def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check_unroll_file(sys.argv[2])
        return
    FIXTURES.mkdir(parents=True, exist_ok=True)
    cells = [
        cell_case("rnn-cell-tanh", "RNNCell", {"inputSize": 4, "hiddenSize": 3, "nonlinearity": "tanh"}, 2, 3, 1),
        cell_case("rnn-cell-relu", "RNNCell", {"inputSize": 3, "hiddenSize": 5, "nonlinearity": "relu"}, 3, 3, 2),
        cell_case("rnn-cell-tanh-no-bias", "RNNCell", {"inputSize": 2, "hiddenSize": 3, "bias": False, "nonlinearity": "tanh"}, 2, 2, 3),
        cell_case("lstm-cell", "LSTMCell", {"inputSize": 4, "hiddenSize": 3}, 2, 3, 4),
        cell_case("lstm-cell-no-bias", "LSTMCell", {"inputSize": 3, "hiddenSize": 2, "bias": False}, 3, 2, 5),
        cell_case("gru-cell", "GRUCell", {"inputSize": 4, "hiddenSize": 3}, 2, 3, 6),
        cell_case("gru-cell-reset-before", "GRUCell", {"inputSize": 4, "hiddenSize": 3, "resetAfter": False}, 2, 3, 7),
        cell_case("gru-cell-no-bias", "GRUCell", {"inputSize": 2, "hiddenSize": 4, "bias": False}, 1, 2, 8),
    ]
    layers = []
    saved = None
    specs = [
        ("lstm-2-layers-bidirectional-packed", "LSTM", {"inputSize": 4, "hiddenSize": 3, "numLayers": 2, "bidirectional": True}, 3, 5, 11, [5, 2, 4], True),
        ("gru-2-layers-bidirectional-packed", "GRU", {"inputSize": 4, "hiddenSize": 3, "numLayers": 2, "bidirectional": True}, 3, 5, 12, [3, 5, 1], True),
        ("rnn-tanh-2-layers-bidirectional-packed", "RNN", {"inputSize": 3, "hiddenSize": 4, "numLayers": 2, "bidirectional": True, "nonlinearity": "tanh"}, 3, 4, 13, [2, 4, 3], True),
        ("rnn-relu-1-layer", "RNN", {"inputSize": 3, "hiddenSize": 4, "nonlinearity": "relu"}, 2, 4, 14, None, False),
        ("lstm-3-layers-no-bias-time-major", "LSTM", {"inputSize": 2, "hiddenSize": 3, "numLayers": 3, "bias": False, "batchFirst": False}, 2, 4, 15, None, True),
        ("gru-1-layer-bidirectional", "GRU", {"inputSize": 3, "hiddenSize": 2, "bidirectional": True}, 2, 3, 16, None, True),
        ("lstm-bidirectional-short-packed", "LSTM", {"inputSize": 2, "hiddenSize": 2, "bidirectional": True}, 3, 6, 17, [3, 1, 2], False),
        ("gru-2-layers-packed-time-major", "GRU", {"inputSize": 2, "hiddenSize": 3, "numLayers": 2, "batchFirst": False}, 4, 4, 18, [4, 1, 3, 2], True),
    ]
    for name, kind, options, batch, steps, seed, lengths, with_state in specs:
        case, layer = layer_case(name, kind, options, batch, steps, seed, lengths, with_state)
        layers.append(case)
        if saved is None:
            saved = (name, layer)

    meta = {"generator": "scripts/make-torch-references.py", "torch": torch.__version__}
    (FIXTURES / "torch-cells.json").write_text(json.dumps({**meta, "cases": cells}) + "\n")
    (FIXTURES / "torch-layers.json").write_text(json.dumps({**meta, "cases": layers}) + "\n")

    # The repository's formatter owns the layout of JSON files; the numbers are unchanged.
    try:
        subprocess.run(["npx", "biome", "format", "--write", str(FIXTURES)], check=True,
                       cwd=FIXTURES.parent.parent, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        print("note: run `npx biome format --write test/fixtures` before committing")

    name, layer = saved
    write_safetensors(FIXTURES / "torch-lstm.safetensors", dict(layer.state_dict()),
                      {"format": "pt", "case": name})
    back, _ = read_safetensors(FIXTURES / "torch-lstm.safetensors")
    assert all(torch.equal(back[k], v) for k, v in layer.state_dict().items())
    print(f"wrote {len(cells)} cell cases, {len(layers)} layer cases and torch-lstm.safetensors to {FIXTURES}")


if __name__ == "__main__":
    main()
