"""PyTorch's time for bptt's benchmark step, to compare with `npm run bench` by hand.

The same step as bench/bptt.bench.ts times: a recurrence over T steps (nn.LSTM, nn.GRU
or nn.RNN with tanh), a Linear readout at every step, MSE, full BPTT, and a plain SGD
update, in float64, at the benchmark's two sizes. Also a character-level language
model step: Embedding 65→64, LSTM 128, Linear to 65 logits, cross-entropy, B=32 T=50.
The random numbers are torch's, not the benchmark's: only the time is compared.

Run with the system's PyTorch (Debian's python3-torch):

    /usr/bin/python3 bench/torch_step.py                 # 1 and 2 threads
    /usr/bin/python3 bench/torch_step.py --quick         # fewer repetitions
    /usr/bin/python3 bench/torch_step.py --threads 1     # one thread only

It prints a Markdown table: the median and the fastest of REPEATS steps after WARMUP
by the wall clock, and the median CPU time of the process per step (all its threads;
a busy machine inflates it much less than the wall clock), with
torch.set_num_threads(1) and then (2).

Debian's python3-torch calls the reference BLAS (libblas3) for its matrix products
unless an optimised one is installed; to time it on OpenBLAS without installing
anything system-wide, unpack the libopenblas0-pthread package somewhere
(`apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb DIR`) and
run with LD_LIBRARY_PATH=DIR/usr/lib/x86_64-linux-gnu/openblas-pthread and
OPENBLAS_NUM_THREADS=1.
"""

import os
import statistics
import sys
import time

import torch

SIZES = {
    "big": dict(batch=32, steps=50, inputs=32, hidden=128, outputs=32),
    "small": dict(batch=1, steps=50, inputs=16, hidden=32, outputs=16),
}
LEARNING_RATE = 0.01
QUICK = "--quick" in sys.argv
WARMUP = 2 if QUICK else 3
REPEATS = 5 if QUICK else 10


def regression_step(cell, size):
    """A closure that runs one training step and returns the loss."""
    kind = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell]
    recurrence = kind(size["inputs"], size["hidden"], batch_first=True).double()
    readout = torch.nn.Linear(size["hidden"], size["outputs"]).double()
    xs = torch.rand(size["batch"], size["steps"], size["inputs"], dtype=torch.float64) * 2 - 1
    targets = torch.rand(size["batch"], size["steps"], size["outputs"], dtype=torch.float64) * 2 - 1
    parameters = list(recurrence.parameters()) + list(readout.parameters())
    optimizer = torch.optim.SGD(parameters, lr=LEARNING_RATE)

    def step():
        optimizer.zero_grad()
        output, _ = recurrence(xs)
        loss = torch.nn.functional.mse_loss(readout(output), targets)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def char_lm_step():
    vocabulary, embedding_size, hidden, batch, steps = 65, 64, 128, 32, 50
    embedding = torch.nn.Embedding(vocabulary, embedding_size).double()
    lstm = torch.nn.LSTM(embedding_size, hidden, batch_first=True).double()
    readout = torch.nn.Linear(hidden, vocabulary).double()
    tokens = torch.randint(0, vocabulary, (batch, steps + 1))
    parameters = [*embedding.parameters(), *lstm.parameters(), *readout.parameters()]
    optimizer = torch.optim.SGD(parameters, lr=LEARNING_RATE)

    def step():
        optimizer.zero_grad()
        output, _ = lstm(embedding(tokens[:, :-1]))
        logits = readout(output).reshape(-1, vocabulary)
        loss = torch.nn.functional.cross_entropy(logits, tokens[:, 1:].reshape(-1))
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def time_step(step):
    for _ in range(WARMUP):
        step()
    times, cpu_times = [], []
    for _ in range(REPEATS):
        start, cpu_start = time.perf_counter(), time.process_time()
        step()
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
    return statistics.median(times), min(times), statistics.median(cpu_times)


def main():
    torch.manual_seed(1)
    cases = [(f"{name} {cell}", lambda c=cell, s=size: regression_step(c, s))
             for name, size in SIZES.items() for cell in ("lstm", "gru", "rnn")]
    cases.append(("char-LM LSTM", char_lm_step))
    print(f"PyTorch {torch.__version__}, float64, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("| step | threads | ms / step (median) | fastest step | CPU ms / step |")
    print("|---|---:|---:|---:|---:|")
    thread_counts = (1, 2)
    if "--threads" in sys.argv:
        thread_counts = (int(sys.argv[sys.argv.index("--threads") + 1]),)
    for threads in thread_counts:
        torch.set_num_threads(threads)
        for name, make in cases:
            median, fastest, cpu = time_step(make())
            print(f"| {name} | {threads} | {median:.1f} | {fastest:.1f} | {cpu:.1f} |", flush=True)


if __name__ == "__main__":
    main()
