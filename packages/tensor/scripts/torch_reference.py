"""
Writes test/reference/torch-ops.json: inputs, outputs and gradients of a handful of
ops computed by PyTorch in float64, so that the tests compare unroll's forward values
and backward rules with an independent implementation (not only with finite
differences of unroll's own forward pass).

Run from packages/tensor:  python3 scripts/torch_reference.py
Each case: op name, options, inputs (nested lists), the output, the weights w of the
scalar L = sum(w * output), and dL/d(input) for every input that requires a gradient.
"""

import json

import torch

torch.manual_seed(20240601)
dtype = torch.float64


def values(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=dtype) * scale).requires_grad_(True)


def weights_for(out):
    # Fixed, varied weights: cos(1.7 i + 0.3) ± 0.05, the same rule as test/check.ts.
    n = out.numel()
    w = torch.tensor(
        [torch.cos(torch.tensor(1.7 * i + 0.3, dtype=dtype)).item() + (0.05 if i % 2 == 0 else -0.05) for i in range(n)],
        dtype=dtype,
    )
    return w.reshape(out.shape)


def case(name, options, inputs, fn, grad_inputs=None):
    out = fn(*inputs)
    w = weights_for(out)
    grads = {}
    wanted = [i for i, t in enumerate(inputs) if isinstance(t, torch.Tensor) and t.requires_grad]
    if grad_inputs is not None:
        wanted = grad_inputs
    if wanted:
        g = torch.autograd.grad((out * w).sum(), [inputs[i] for i in wanted])
        grads = {str(i): gi.tolist() for i, gi in zip(wanted, g)}
    return {
        "op": name,
        "options": options,
        "inputs": [t.tolist() if isinstance(t, torch.Tensor) else t for t in inputs],
        "output": out.tolist(),
        "weights": w.tolist(),
        "grads": grads,
    }


cases = []

logits = values(5, 4, scale=3.0)
targets = torch.tensor([1, 3, -100, 0, 3])
for reduction in ["mean", "sum", "none"]:
    cases.append(
        case(
            "crossEntropy",
            {"reduction": reduction, "ignoreIndex": -100},
            [logits, targets],
            lambda z, t, r=reduction: torch.nn.functional.cross_entropy(z, t, ignore_index=-100, reduction=r),
            grad_inputs=[0],
        )
    )

z = values(3, 4, scale=2.0)
y = torch.rand(3, 4, dtype=dtype).requires_grad_(True)
for reduction in ["mean", "none"]:
    cases.append(
        case(
            "binaryCrossEntropyWithLogits",
            {"reduction": reduction},
            [z, y],
            lambda a, b, r=reduction: torch.nn.functional.binary_cross_entropy_with_logits(a, b, reduction=r),
        )
    )

x = values(2, 3, 4)
cases.append(case("logSoftmax", {"axis": 1}, [x], lambda t: torch.log_softmax(t, dim=1)))
cases.append(case("softmax", {"axis": -1}, [x], lambda t: torch.softmax(t, dim=-1)))
cases.append(case("logsumexp", {"axis": [0, 2], "keepDim": False}, [x], lambda t: torch.logsumexp(t, dim=[0, 2])))

a = values(3, 2, 4)
b = values(3, 4, 5)
cases.append(case("matmul", {}, [a, b], torch.matmul))
m = values(4, 5)
cases.append(case("matmul", {}, [a, m], torch.matmul))

inp = values(2, 3, 5)
weight = values(4, 5)
bias = values(4)
cases.append(case("linear", {}, [inp, weight, bias], torch.nn.functional.linear))

table = values(4, 3)
cases.append(case("indexSelect", {"axis": 0, "indices": [2, 0, 2, 3]}, [table], lambda t: torch.index_select(t, 0, torch.tensor([2, 0, 2, 3]))))
index = torch.tensor([[0, 2, 2], [1, 1, 0], [3, 0, 3]])
cases.append(case("gather", {"axis": 0, "index": index.tolist()}, [table], lambda t: torch.gather(t, 0, index)))

p = values(2, 3)
q = values(2, 3)
cases.append(case("mse", {"reduction": "mean"}, [p, q], lambda s, t: torch.nn.functional.mse_loss(s, t)))

u = values(2, 1, 3)
v = values(4, 1)
cases.append(case("div", {}, [u, v], lambda s, t: s / (t.abs() + 0.5)))
cases.append(case("maximum", {}, [u, v], torch.maximum))

with open("test/reference/torch-ops.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases")
