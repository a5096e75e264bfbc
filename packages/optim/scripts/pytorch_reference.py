"""Generates test/data/pytorch-reference.json: trajectories computed by torch.optim.

Run from packages/optim:  python3 scripts/pytorch_reference.py
The tests read the JSON file and never need PyTorch. Everything is float64, and
floats are written with repr(), which reads back to the same double in JavaScript.

What is recorded:
  optimizers  for each optimizer and option set: the initial parameters, the
              gradient fed at every step (None = that parameter has no grad then),
              and the parameters after every step
  schedulers  the lr of each parameter group after construction and after every step
  clipping    gradients, the total norm returned and the gradients after clipping
"""

import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
rng = torch.Generator().manual_seed(20240601)

SHAPES = [(3,), (2, 2), (2,)]
STEPS = 8


def randn(*shape):
    return torch.randn(*shape, generator=rng, dtype=torch.float64)


def floats(t):
    return [float(x) for x in t.flatten().tolist()]


def gradient_sequence():
    """Per step, per parameter: a gradient whose scale changes by orders of magnitude
    from step to step (so AMSGrad's maximum matters), or None (skipped parameter)."""
    steps = []
    for step in range(STEPS):
        scale = 10.0 ** float(torch.empty(1).uniform_(-2, 1, generator=rng))
        grads = []
        for i, shape in enumerate(SHAPES):
            if i == 2 and step in (2, 3):
                grads.append(None)  # the third parameter gets no gradient at steps 2 and 3
            else:
                grads.append(randn(*shape) * scale)
        steps.append(grads)
    return steps


def run_optimizer(name, make, groups=None):
    initial = [randn(*shape) for shape in SHAPES]
    params = [p.clone().requires_grad_(True) for p in initial]
    if groups is None:
        opt = make(params)
    else:
        opt = make([{"params": [params[i] for i in idx], **opts} for idx, opts in groups])
    grads = gradient_sequence()
    trajectory = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = None if g is None else g.clone()
        opt.step()
        trajectory.append([floats(p.detach()) for p in params])
    return {
        "name": name,
        "groups": None if groups is None else [{"params": idx, "options": o} for idx, o in groups],
        "initial": [floats(p) for p in initial],
        "grads": [[None if g is None else floats(g) for g in s] for s in grads],
        "trajectory": trajectory,
    }


O = torch.optim
optimizer_cases = []


def case(optimizer, options, torch_kwargs, groups=None, torch_groups=None):
    cls = getattr(O, optimizer)
    record = run_optimizer(
        optimizer,
        lambda params: cls(params, **torch_kwargs),
        groups=torch_groups,
    )
    record["options"] = options
    if groups is not None:
        record["groups"] = groups
    optimizer_cases.append(record)


# (our camelCase options, PyTorch's keyword arguments)
SGD_CASES = [
    ({"lr": 0.1}, {"lr": 0.1}),
    ({"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9}),
    ({"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ({"lr": 0.1, "momentum": 0.9, "nesterov": True}, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ({"lr": 0.1, "weightDecay": 0.1}, {"lr": 0.1, "weight_decay": 0.1}),
    ({"lr": 0.1, "maximize": True, "weightDecay": 0.1}, {"lr": 0.1, "maximize": True, "weight_decay": 0.1}),
    (
        {"lr": 0.05, "momentum": 0.8, "weightDecay": 0.2, "nesterov": True, "maximize": True},
        {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.2, "nesterov": True, "maximize": True},
    ),
    (
        {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "weightDecay": 0.05},
        {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05},
    ),
]
ADAGRAD_CASES = [
    ({}, {}),
    ({"lr": 0.1, "lrDecay": 0.1}, {"lr": 0.1, "lr_decay": 0.1}),
    ({"lr": 0.1, "weightDecay": 0.1}, {"lr": 0.1, "weight_decay": 0.1}),
    ({"lr": 0.1, "initialAccumulatorValue": 0.5}, {"lr": 0.1, "initial_accumulator_value": 0.5}),
    ({"lr": 0.1, "eps": 1e-3, "maximize": True}, {"lr": 0.1, "eps": 1e-3, "maximize": True}),
]
RMSPROP_CASES = [
    ({}, {}),
    ({"alpha": 0.9}, {"alpha": 0.9}),
    ({"centered": True}, {"centered": True}),
    ({"momentum": 0.9}, {"momentum": 0.9}),
    ({"centered": True, "momentum": 0.5, "eps": 1e-3}, {"centered": True, "momentum": 0.5, "eps": 1e-3}),
    ({"weightDecay": 0.1, "maximize": True}, {"weight_decay": 0.1, "maximize": True}),
]
ADAM_CASES = [
    ({}, {}),
    ({"lr": 0.01, "amsgrad": True}, {"lr": 0.01, "amsgrad": True}),
    ({"lr": 0.01, "weightDecay": 0.1}, {"lr": 0.01, "weight_decay": 0.1}),
    ({"lr": 0.01, "betas": [0.5, 0.8], "eps": 1e-3}, {"lr": 0.01, "betas": (0.5, 0.8), "eps": 1e-3}),
    (
        {"lr": 0.01, "amsgrad": True, "weightDecay": 0.1, "maximize": True},
        {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1, "maximize": True},
    ),
]
ADAMW_CASES = [
    ({}, {}),
    ({"lr": 0.01, "weightDecay": 0.1}, {"lr": 0.01, "weight_decay": 0.1}),
    ({"lr": 0.01, "amsgrad": True}, {"lr": 0.01, "amsgrad": True}),
    (
        {"lr": 0.01, "betas": [0.8, 0.9], "weightDecay": 0, "maximize": True},
        {"lr": 0.01, "betas": (0.8, 0.9), "weight_decay": 0, "maximize": True},
    ),
]

for name, cases in [
    ("SGD", SGD_CASES),
    ("Adagrad", ADAGRAD_CASES),
    ("RMSprop", RMSPROP_CASES),
    ("Adam", ADAM_CASES),
    ("AdamW", ADAMW_CASES),
]:
    for ours, theirs in cases:
        case(name, ours, theirs)

# Parameter groups with their own options: parameter 0 alone, parameters 1 and 2 together.
case(
    "Adam",
    {"lr": 0.01},
    {"lr": 0.01},
    groups=[{"params": [0], "options": {}}, {"params": [1, 2], "options": {"lr": 0.1, "amsgrad": True}}],
    torch_groups=[([0], {}), ([1, 2], {"lr": 0.1, "amsgrad": True})],
)
case(
    "SGD",
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.1, "momentum": 0.9},
    groups=[{"params": [0, 2], "options": {"nesterov": True}}, {"params": [1], "options": {"momentum": 0}}],
    torch_groups=[([0, 2], {"nesterov": True}), ([1], {"momentum": 0})],
)


# ---- schedules -----------------------------------------------------------------

def schedule_case(name, options, make, steps, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    q = torch.zeros(1, requires_grad=True)
    opt = O.SGD([{"params": [p], "lr": 0.1}, {"params": [q], "lr": 0.05}], lr=0.1)
    schedulers = make(opt)
    lrs = [[g["lr"] for g in opt.param_groups]]
    for step in range(steps):
        opt.step()
        for s in schedulers:
            if metrics is None:
                s.step()
            else:
                s.step(metrics[step])
        lrs.append([g["lr"] for g in opt.param_groups])
    return {"name": name, "options": options, "metrics": metrics, "lrs": lrs}


S = O.lr_scheduler
plateau_metrics = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.899, 0.8999, 0.9, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]
schedule_cases = [
    schedule_case("StepLR", {"stepSize": 3, "gamma": 0.5}, lambda o: [S.StepLR(o, step_size=3, gamma=0.5)], 12),
    schedule_case("StepLR", {"stepSize": 1}, lambda o: [S.StepLR(o, step_size=1)], 6),
    schedule_case("ExponentialLR", {"gamma": 0.9}, lambda o: [S.ExponentialLR(o, gamma=0.9)], 30),
    schedule_case("CosineAnnealingLR", {"tMax": 5, "etaMin": 0.001}, lambda o: [S.CosineAnnealingLR(o, T_max=5, eta_min=0.001)], 25),
    schedule_case("CosineAnnealingLR", {"tMax": 50}, lambda o: [S.CosineAnnealingLR(o, T_max=50)], 120),
    schedule_case("LinearLR", {}, lambda o: [S.LinearLR(o)], 8),
    schedule_case("LinearLR", {"startFactor": 0.25, "endFactor": 1, "totalIters": 4}, lambda o: [S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4)], 8),
    schedule_case("LinearLR", {"startFactor": 1, "endFactor": 0.1, "totalIters": 10}, lambda o: [S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=10)], 14),
    schedule_case(
        "LinearLR+CosineAnnealingLR",
        {"linear": {"startFactor": 0.1, "totalIters": 5}, "cosine": {"tMax": 20}},
        lambda o: [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=20)],
        20,
    ),
]
for options, kwargs in [
    ({"patience": 2}, {"patience": 2}),
    ({"patience": 1, "cooldown": 2, "factor": 0.5}, {"patience": 1, "cooldown": 2, "factor": 0.5}),
    ({"patience": 0, "thresholdMode": "abs", "threshold": 0.01, "minLr": [0.01, 0.001]},
     {"patience": 0, "threshold_mode": "abs", "threshold": 0.01, "min_lr": [0.01, 0.001]}),
    ({"mode": "max", "patience": 1}, {"mode": "max", "patience": 1}),
    ({"mode": "max", "patience": 0, "thresholdMode": "abs", "threshold": 0.05, "minLr": 0.02},
     {"mode": "max", "patience": 0, "threshold_mode": "abs", "threshold": 0.05, "min_lr": 0.02}),
]:
    schedule_cases.append(
        schedule_case(
            "ReduceLROnPlateau",
            options,
            lambda o, kwargs=kwargs: [S.ReduceLROnPlateau(o, **kwargs)],
            len(plateau_metrics),
            metrics=plateau_metrics,
        )
    )


# ---- clipping ------------------------------------------------------------------

clip_cases = []
for norm_type, max_norm in [(2.0, 1.0), (2.0, 100.0), (1.0, 2.0), (math.inf, 0.5), (3.0, 1.5), (0.5, 3.0)]:
    grads = [randn(*shape) * 2 for shape in SHAPES]
    params = [torch.zeros(*shape, requires_grad=True) for shape in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    clip_cases.append({
        "normType": "Infinity" if norm_type == math.inf else norm_type,
        "maxNorm": max_norm,
        "grads": [floats(g) for g in grads],
        "total": float(total),
        "clipped": [floats(p.grad) for p in params],
    })

out = {
    "generator": f"scripts/pytorch_reference.py with torch {torch.__version__}",
    "shapes": [list(s) for s in SHAPES],
    "optimizers": optimizer_cases,
    "schedulers": schedule_cases,
    "clipping": clip_cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "data", "pytorch-reference.json")
with open(path, "w") as f:
    # One record per line: small enough to read, and diffs stay line-sized.
    f.write("{\n")
    keys = list(out)
    for k, key in enumerate(keys):
        value = out[key]
        f.write(f" {json.dumps(key)}: ")
        if isinstance(value, list) and value and isinstance(value[0], dict):
            f.write("[\n" + ",\n".join("  " + json.dumps(v) for v in value) + "\n ]")
        else:
            f.write(json.dumps(value))
        f.write(",\n" if k < len(keys) - 1 else "\n")
    f.write("}\n")
print(f"wrote {path}: {len(optimizer_cases)} optimizer runs, {len(schedule_cases)} schedules, {len(clip_cases)} clippings")
