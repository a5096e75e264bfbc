"""Continue an unroll run in PyTorch.

This folder was written by `unroll export --to pytorch`. It holds the model's weights
(model.safetensors, PyTorch's parameter names), the optimizer's state in the layout of
`optimizer.state_dict()` (optimizer.safetensors), the run's settings (run.json) and, for
a character-level language model, its training text (text.txt).

One machine, one GPU or the CPU:

    python train.py --steps 1000

Many GPUs, on one machine or several, with DistributedDataParallel: every process
draws its own batches and the gradients are averaged across processes before each
step, so the effective batch is (processes x batch):

    torchrun --nproc_per_node 4 train.py --ddp --steps 1000
    torchrun --nnodes 2 --node_rank 0 --master_addr HOST --nproc_per_node 8 train.py --ddp

Training is in float64, as in unroll, so that the first step here is unroll's next
step (see --step-on). At the end the weights, the optimizer state and run.json are
saved to the folder --out (default ./continued), in this folder's own layout, which
`unroll import --from pytorch` reads back.
"""

import argparse
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {"F64": torch.float64, "F32": torch.float32}


# --- safetensors, read and written without the `safetensors` package -------------
# The format: an 8-byte little-endian header length N, N bytes of JSON
# {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data.


def read_safetensors(path):
    """Tensors and metadata of a .safetensors file."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = flat.reshape(info["shape"]).to(torch.float64)
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes float64 tensors (atomically: a temporary file, then a rename)."""
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().to("cpu", torch.float64).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
    os.replace(path + ".tmp", path)


# --- the model: the same stack of recurrent layers and linear readout ---------------


class SequenceModel(nn.Module):
    def __init__(self, cell, input_size, hidden_size, layers, output_size, readout):
        super().__init__()
        recurrent = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = recurrent(input_size, hidden_size, layers, batch_first=True)
        self.readout = nn.Linear(hidden_size, output_size)
        self.reads_every_step = readout == "every"

    def forward(self, x, state=None, keep_at=()):
        """x: [B, T, I] -> predictions ([B, O] from h_T, or [B, T, O]), the final state,
        and the states after the steps in keep_at (where later truncated-BPTT windows start)."""
        bounds = [0] + sorted(t for t in keep_at if 0 < t < x.shape[1]) + [x.shape[1]]
        pieces, kept = [], {}
        for a, b in zip(bounds, bounds[1:]):
            hs, state = self.rnn(x[:, a:b], state)
            pieces.append(hs)
            kept[b] = state
        hs = torch.cat(pieces, dim=1)
        return self.readout(hs if self.reads_every_step else hs[:, -1]), state, kept

    def load_unroll(self, tensors):
        """unroll names the recurrent parameters as torch.nn.LSTM does, without a prefix."""
        self.rnn.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("readout.")})
        self.readout.load_state_dict({"weight": tensors["readout.weight"], "bias": tensors["readout.bias"]})


def load_optimizer(model, path):
    """The optimizer of the run, with its state: the files hold optimizer.state_dict()."""
    buffers, metadata = read_safetensors(path)
    saved = json.loads(metadata["optimizer"])
    state = {}
    for name, t in buffers.items():  # "state.<index>.<buffer>"
        _, index, key = name.split(".", 2)
        state.setdefault(int(index), {})[key] = t
    for index, scalars in saved["scalars"].items():
        for key, value in scalars.items():
            if key == "step":
                state.setdefault(int(index), {})[key] = torch.tensor(float(value))
            elif value is None and key == "momentum_buffer":
                state.setdefault(int(index), {})[key] = None
    kind = getattr(torch.optim, saved["type"])
    optimizer = kind(model.parameters(), lr=saved["param_groups"][0]["lr"])
    optimizer.load_state_dict({"state": state, "param_groups": saved["param_groups"]})
    return optimizer, saved


def optimizer_file(optimizer, saved):
    """The optimizer's state_dict() as load_optimizer reads it (and `unroll import`): only
    the options the export named (unroll refuses others, such as foreach), and the buffers
    that were absent (None) there marked absent again."""
    sd = optimizer.state_dict()
    tensors, scalars = {}, {}
    for index, entry in sd["state"].items():
        absent = {k: None for k, v in saved["scalars"].get(str(index), {}).items() if v is None}
        scalars[str(index)] = absent
        for key, value in entry.items():
            if torch.is_tensor(value) and value.dim() > 0:
                tensors[f"state.{index}.{key}"] = value
            else:  # the step count (a 0-d tensor in recent PyTorch), or a buffer not yet made
                scalars[str(index)][key] = None if value is None else float(value)
    known = saved["param_groups"][0].keys()
    groups = [{k: v for k, v in g.items() if k in known} for g in sd["param_groups"]]
    metadata = dict(saved, param_groups=groups, scalars=scalars)
    return tensors, {"optimizer": json.dumps(metadata)}


# --- the tasks, as unroll defines them (each process draws its own batches) ----------


def adding_batch(B, T, g):
    """Hochreiter & Schmidhuber's adding problem: sum the two marked values."""
    values = torch.rand(B, T, generator=g, dtype=torch.float64)
    half = T // 2
    first = torch.randint(0, half, (B,), generator=g)
    second = torch.randint(half, T, (B,), generator=g)
    marks = torch.zeros(B, T, dtype=torch.float64)
    rows = torch.arange(B)
    marks[rows, first] = 1
    marks[rows, second] = 1
    target = values[rows, first] + values[rows, second]
    return torch.stack([values, marks], dim=2), target[:, None]


def copy_batch(B, delay, g):
    """Arjovsky et al.'s copy memory: 10 symbols, `delay` blanks, the delimiter 9, play back."""
    L = delay + 20
    ids = torch.zeros(B, L, dtype=torch.long)
    targets = torch.zeros(B, L, dtype=torch.long)
    symbols = torch.randint(1, 9, (B, 10), generator=g)
    ids[:, :10] = symbols
    targets[:, -10:] = symbols
    ids[:, 10 + delay - 1] = 9
    return F.one_hot(ids, 10).to(torch.float64), targets


def order_batch(B, T, g):
    """Hochreiter & Schmidhuber's temporal order: the order of X/Y at two steps, 4 classes."""
    ids = torch.randint(0, 4, (B, T), generator=g)  # distractors a b c d
    ids[:, 0], ids[:, -1] = 6, 7  # E ... B
    label = torch.zeros(B, dtype=torch.long)
    rows = torch.arange(B)
    for lo, hi in [(round(0.1 * T), round(0.2 * T)), (round(0.5 * T), round(0.6 * T))]:
        step = torch.randint(lo, hi + 1, (B,), generator=g)
        is_y = torch.randint(0, 2, (B,), generator=g)
        ids[rows, step] = 4 + is_y  # X or Y
        label = 2 * label + is_y
    return F.one_hot(ids, 8).to(torch.float64), label


class TextStreams:
    """unroll's text batches: the text cut into parallel streams of S = len // streams ids;
    window w of a stream is ids [wT, wT + T] (inputs, then targets shifted by one). The state
    carries from window to window, and starts from zero at each epoch's first window."""

    def __init__(self, ids, streams, T, window):
        S = len(ids) // streams
        self.streams = ids[: S * streams].view(streams, S)
        self.T, self.windows, self.window = T, (S - 1) // T, window

    def next(self, rows, V):
        """The current window of the streams `rows`, and whether it starts an epoch."""
        start = self.window * self.T
        chunk = self.streams[rows, start : start + self.T + 1]
        first = self.window == 0
        self.window = (self.window + 1) % self.windows
        return F.one_hot(chunk[:, :-1], V).to(torch.float64), chunk[:, 1:], first


def state_of(tensors, cell):
    """A recurrent state [L, B, H] (h, and c for the LSTM) from a file, or None."""
    if "h" not in tensors:
        return None
    return (tensors["h"], tensors["c"]) if cell == "lstm" else tensors["h"]


def loss_of(task, predictions, targets):
    if task == "adding":
        return F.mse_loss(predictions, targets)
    return F.cross_entropy(predictions.reshape(-1, predictions.shape[-1]), targets.reshape(-1))


def windows_of(T, tbptt):
    """Truncated BPTT(k1, k2): update every k1 steps, backpropagate through the last k2."""
    if tbptt is None:
        return [(0, 0, T)]
    k1, k2 = tbptt
    return [(max(0, min(s + k1, T) - k2), s, min(s + k1, T)) for s in range(0, T, k1)]


def detach(state, device=None):
    """The state cut from the graph (and moved to `device`)."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach().to(device or s.device) for s in state)
    return state.detach().to(device or state.device)


def train_step(model, optimizer, config, x, targets, state=None):
    """One step of unroll's trainer: a window at a time, clip, update. Returns the loss
    and the state after the last step (detached)."""
    reads_every = config["task"] in ("copy", "charlm")
    T = x.shape[1]
    windows = windows_of(T, config["tbptt"])
    cuts = {cut for cut, _, _ in windows}
    starts = {0: state}  # the state each window starts from, as its earlier window computed it
    total = 0.0
    for cut, start, end in windows:
        later = [c - cut for c in cuts if cut < c <= end]
        predictions, after, kept = model(x[:, cut:end], detach(starts[cut]), keep_at=later)
        for t, s in kept.items():
            starts.setdefault(cut + t, detach(s))
        if reads_every:
            loss = loss_of(config["task"], predictions[:, start - cut :], targets[:, start:end])
        elif end == T:
            loss = loss_of(config["task"], predictions, targets)
        else:
            continue
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if config["clip"] is not None:
            nn.utils.clip_grad_norm_(model.parameters(), config["clip"])
        optimizer.step()
        total += loss.item() * ((end - start) if reads_every else 1)
    return total / (T if reads_every else 1), detach(after)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100, help="training steps to run")
    parser.add_argument("--out", default=os.path.join(HERE, "continued"), help="folder for the weights and state")
    parser.add_argument("--ddp", action="store_true", help="run under torchrun with DistributedDataParallel")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step-on", metavar="BATCH", help="one step on a saved batch (x, targets), then save")
    args = parser.parse_args()

    torch.set_default_dtype(torch.float64)
    run = json.load(open(os.path.join(HERE, "run.json")))
    config, spec = run["config"], run["model"]
    rank, world = 0, 1
    device = torch.device(args.device)
    if args.ddp:  # torchrun sets RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous address
        torch.distributed.init_process_group("nccl" if args.device.startswith("cuda") else "gloo")
        rank, world = torch.distributed.get_rank(), torch.distributed.get_world_size()
        if args.device.startswith("cuda"):
            device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
            torch.cuda.set_device(device)

    model = SequenceModel(
        spec["cell"], spec["input_size"], spec["hidden_size"], spec["layers"], spec["output_size"], spec["readout"]
    )
    model.load_unroll(read_safetensors(os.path.join(HERE, "model.safetensors"))[0])
    model.to(device)
    optimizer, saved_optimizer = load_optimizer(model, os.path.join(HERE, "optimizer.safetensors"))
    scheduler = None
    if config["schedule"] == "cosine":  # annealed to 0 at the run's last step, as in unroll
        lrs = [g["lr"] for g in optimizer.param_groups]
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config["steps"])
        for group, lr in zip(optimizer.param_groups, lrs):  # the constructor reset it
            group["lr"] = lr
        scheduler.last_epoch = run["step"]
    trained = nn.parallel.DistributedDataParallel(model) if args.ddp else model
    # The char-LM's state carried into its next window (one process only: with several,
    # each reads its own streams from a zero state).
    carried = os.path.join(HERE, "carried.safetensors")
    state = None
    if os.path.exists(carried) and world == 1:
        state = detach(state_of(read_safetensors(carried)[0], spec["cell"]), device)

    def save(step, data):
        """The folder this one is, at `step`: `unroll import --from pytorch` reads it back."""
        if rank != 0:
            return
        os.makedirs(args.out, exist_ok=True)
        names = list(model.rnn.state_dict()) + ["readout.weight", "readout.bias"]
        params = list(model.rnn.state_dict().values()) + [model.readout.weight, model.readout.bias]
        write_safetensors(os.path.join(args.out, "model.safetensors"), dict(zip(names, params)), {"format": "pt"})
        write_safetensors(os.path.join(args.out, "optimizer.safetensors"), *optimizer_file(optimizer, saved_optimizer))
        with open(os.path.join(args.out, "run.json"), "w") as f:
            json.dump(dict(run, step=step, data=data), f, indent=2)
        print(f"saved {args.out}")

    if args.step_on:
        batch, _ = read_safetensors(args.step_on)
        targets = batch["targets"]
        if config["task"] != "adding":
            targets = targets.long()
        h0 = detach(state_of(batch, spec["cell"]), device)
        loss, _ = train_step(trained, optimizer, config, batch["x"].to(device), targets.to(device), h0)
        print(f"loss {loss:.17g}")
        return save(run["step"] + 1, run["data"])

    B, T, task = config["batch"], config["seqLen"], config["task"]
    g = torch.Generator().manual_seed(args.seed * world + rank)
    if task == "charlm":
        alphabet = {ch: i for i, ch in enumerate(run["alphabet"])}
        text = open(os.path.join(HERE, "text.txt"), encoding="utf-8").read()
        ids = torch.tensor([alphabet[ch] for ch in text])
        window = run["data"]["text"]["window"] if world == 1 else 0
        streams, rows = TextStreams(ids, B * world, T, window), slice(rank * B, (rank + 1) * B)
    draw = {"adding": adding_batch, "copy": copy_batch, "order": order_batch}.get(task)
    for step in range(run["step"] + 1, run["step"] + args.steps + 1):
        lr = optimizer.param_groups[0]["lr"]  # the rate this step uses
        if task == "charlm":
            x, y, new_epoch = streams.next(rows, len(alphabet))
            if new_epoch:
                state = None
            loss, state = train_step(trained, optimizer, config, x.to(device), y.to(device), state)
        else:
            x, y = draw(B, T, g)
            loss, _ = train_step(trained, optimizer, config, x.to(device), y.to(device))
        if scheduler is not None:
            scheduler.step()
        if rank == 0 and (step % 50 == 0 or step == run["step"] + args.steps or args.steps <= 10):
            print(f"step {step}  loss {loss:.4f}  lr {lr:.3g}" + (f"  ({world} processes)" if world > 1 else ""))
    last = run["step"] + args.steps
    save(last, {"text": dict(run["data"]["text"], window=streams.window)} if task == "charlm" else run["data"])
    if args.ddp:
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
