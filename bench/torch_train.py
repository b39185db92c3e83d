#!/usr/bin/python3
"""The PyTorch side of `scripts/bench.sh train`: the same training step as attnlab's Trainer::step on the
very batches bench_train wrote (--batches), one thread, timed with time.thread_time().

A step: forward (teacher forcing, dropout on), F.cross_entropy(ignore_index=<pad>, label_smoothing as
the config), backward, clip_grad_norm_ at the same norm, Adam (the preset's β₁, β₂, ε) at the same
schedule's learning rate. The model is scripts/torch_reference.py's Seq2Seq / Transformer built from
the bundle's config.json sizes (fresh weights: speed does not depend on them).
Prints one JSON line: tokens/s, the checksum of the timed batches (same formula as bench_train), and
which BLAS torch is using: the BLAS line of torch.__config__.show() (what it was built against) and
the BLAS libraries mapped into this process (/proc/self/maps: what actually runs).
Usage: torch_train.py --model DIR --batches FILE --spec JSON --warmup N
"""
import argparse
import json
import os
import re
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import torch_reference as ref  # noqa: E402


def checksum(batches):
    total, pos = 0, 0
    for b in batches:
        for key in ("source", "target_in", "target_out"):
            for row in b[key]:
                for i in row:
                    pos += 1
                    total = (total + i * pos) % 1000000007
    return total


def blas_in_use():
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    line = "torch.__config__ BLAS_INFO=" + (found.group(1) if found else "?")
    mapped = set()
    with open("/proc/self/maps") as f:
        for l in f:
            path = l.split()[-1]
            name = os.path.basename(path)
            if "blas" in name or "lapack" in name:
                mapped.add(path)
    return line, sorted(mapped)


def learning_rate(spec, step):
    s, w = float(step), float(max(1, spec["warmup_steps"]))
    if spec["schedule"] == "noam":
        return spec["lr"] * spec["model_dim"] ** -0.5 * min(s ** -0.5, s * w ** -1.5)
    if spec["schedule"] == "constant":
        return spec["lr"]
    return spec["lr"] * min(1.0, s / w)  # warm-up (the decay part barely differs over a few steps)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--batches", required=True)
    p.add_argument("--spec", required=True, help="bench_train's JSON line (loss, clipping, Adam, schedule)")
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    spec = json.loads(a.spec)
    with open(os.path.join(a.model, "config.json")) as f:
        config = json.load(f)
    model = ref.ARCHITECTURES[config["model"]["architecture"]](config["model"])
    model.train()
    b1, b2, eps, wd = spec["adam"]
    opt = torch.optim.Adam(model.parameters(), lr=spec["lr"], betas=(b1, b2), eps=eps, weight_decay=wd)
    with open(a.batches) as f:
        raw = json.load(f)
    batches = [{k: torch.tensor(v, dtype=torch.long) for k, v in b.items()} for b in raw]

    def step(n, b):
        out = model(b["source"], b["source_lengths"], b["target_in"])
        logits = out[0] if isinstance(out, tuple) else out
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), b["target_out"].reshape(-1),
                               ignore_index=ref.PAD, label_smoothing=spec["label_smoothing"])
        opt.zero_grad(set_to_none=False)
        loss.backward()
        if spec["clip_norm"] > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), spec["clip_norm"])
        for g in opt.param_groups:
            g["lr"] = learning_rate(spec, n)
        opt.step()
        return float(loss)

    for n in range(a.warmup):
        step(n + 1, batches[n])
    timed = batches[a.warmup:]
    tokens = sum(int((b["target_out"] != ref.PAD).sum()) for b in timed)
    t0 = time.thread_time()
    for n, b in enumerate(timed):
        loss = step(a.warmup + n + 1, b)
    cpu = time.thread_time() - t0
    blas, mapped = blas_in_use()
    print(json.dumps({"build": "torch", "clock": "time.thread_time()", "model": a.model, "steps": len(timed),
                      "tokens": tokens, "cpu_seconds": cpu, "tokens_per_second": tokens / cpu,
                      "checksum": checksum(raw[a.warmup:]), "last_loss": loss, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "blas_config": blas, "blas_mapped": mapped}))


if __name__ == "__main__":
    main()
