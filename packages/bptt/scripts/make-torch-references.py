#!/usr/bin/env python3
"""PyTorch float64 references for the hand-derived BPTT of @unroll/bptt.

    python3 scripts/make-torch-references.py      # writes test/fixtures/torch-sequences.json

For each cell (RNN tanh and relu, LSTM, GRU as PyTorch has it, and the GRU of
Cho et al. 2014, which PyTorch lacks and is written here from its equations with
torch ops), with and without biases: seeded weights and inputs, a whole-sequence
forward pass from a given initial state, and the loss

    loss = sum(output * w_out) + sum(h_T * w_h) (+ sum(c_T * w_c) for the LSTM)

whose gradients reach every parameter, every input and the initial state. The
file holds the inputs, the parameters under PyTorch's names, the outputs, the
final states and every gradient (batch-first, row-major).
"""

import json
from pathlib import Path

import torch
from torch import nn

torch.set_default_dtype(torch.float64)
OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "torch-sequences.json"


def flat(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def cho_gru(x, h, w_ih, w_hh, b_ih, b_hh):
    """Cho et al. 2014 over a batch-first sequence: n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)."""
    H = h.shape[1]
    outputs = []
    for t in range(x.shape[1]):
        gi = x[:, t] @ w_ih.T + b_ih
        r = torch.sigmoid(gi[:, :H] + h @ w_hh[:H].T + b_hh[:H])
        z = torch.sigmoid(gi[:, H:2 * H] + h @ w_hh[H:2 * H].T + b_hh[H:2 * H])
        n = torch.tanh(gi[:, 2 * H:] + (r * h) @ w_hh[2 * H:].T + b_hh[2 * H:])
        h = (1 - z) * n + z * h
        outputs.append(h)
    return torch.stack(outputs, 1), h


def case(name, kind, B, T, I, H, bias, seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    if kind in ("rnn-tanh", "rnn-relu"):
        layer = nn.RNN(I, H, bias=bias, batch_first=True, nonlinearity=kind[4:])
    elif kind == "lstm":
        layer = nn.LSTM(I, H, bias=bias, batch_first=True)
    else:
        layer = nn.GRU(I, H, bias=bias, batch_first=True)
    # PyTorch's layer names carry the layer index; the cells' names do not.
    params = {k.replace("_l0", ""): v for k, v in layer.named_parameters()}
    with torch.no_grad():  # wider than the default init, so the gates leave their linear range
        for p in params.values():
            p.mul_(2.0)
    x = torch.randn(B, T, I, generator=g).requires_grad_()
    h0 = (0.5 * torch.randn(B, H, generator=g)).requires_grad_()
    c0 = (0.5 * torch.randn(B, H, generator=g)).requires_grad_()
    if kind == "lstm":
        output, (hT, cT) = layer(x, (h0[None], c0[None]))
        hT, cT = hT[0], cT[0]
    elif kind == "gru-cho":
        zeros = torch.zeros(3 * H)
        output, hT = cho_gru(x, h0, params["weight_ih"], params["weight_hh"],
                             params.get("bias_ih", zeros), params.get("bias_hh", zeros))
        cT = None
    else:
        output, hT = layer(x, h0[None])
        hT, cT = hT[0], None
    w_out = torch.randn(B, T, H, generator=g)
    w_h = torch.randn(B, H, generator=g)
    w_c = torch.randn(B, H, generator=g)
    loss = (output * w_out).sum() + (hT * w_h).sum()
    if cT is not None:
        loss = loss + (cT * w_c).sum()
    loss.backward()
    out = {
        "name": name, "kind": kind, "bias": bias,
        "dims": {"batchSize": B, "steps": T, "inputSize": I, "hiddenSize": H},
        "x": flat(x), "h0": flat(h0), "c0": flat(c0),
        "parameters": {k: flat(v) for k, v in params.items()},
        "lossWeights": {"output": flat(w_out), "h": flat(w_h), "c": flat(w_c)},
        "output": flat(output), "hT": flat(hT),
        "grad": {"x": flat(x.grad), "h0": flat(h0.grad)},
    }
    if cT is not None:
        out["cT"] = flat(cT)
        out["grad"]["c0"] = flat(c0.grad)
    for k, v in params.items():
        out["grad"][k] = flat(v.grad)
    return out


cases = []
seed = 100
for kind in ("rnn-tanh", "rnn-relu", "lstm", "gru", "gru-cho"):
    for bias in (True, False):
        seed += 1
        cases.append(case(f"{kind}{'' if bias else '-no-bias'}", kind, 3, 5, 4, 3, bias, seed))
cases.append(case("lstm-long", "lstm", 2, 12, 3, 5, True, 7))
cases.append(case("gru-cho-long", "gru-cho", 2, 12, 3, 5, True, 8))
OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}))
print(f"wrote {len(cases)} cases to {OUT}")
