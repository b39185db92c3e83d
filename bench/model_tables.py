#!/usr/bin/python3
"""Training and inference tables of `scripts/bench.sh train|infer` (method: docs/speed.md).

Every contender is its own process that times itself in CPU time (bench_train / bench_infer natively:
CLOCK_THREAD_CPUTIME_ID; the same programs in wasm under node: process.cpuUsage(); PyTorch:
time.thread_time()) and prints one JSON line. Rounds run the contenders one after the other, the
first one rotating each round, so a slow phase of the machine falls on all of them alike; each cell
is the median over the rounds with the spread (max − min) / median.
Usage: model_tables.py train|infer ROUNDS  (run from the repository root by scripts/bench.sh, which
sets OPENBLAS_DIR to the unpacked libopenblas0-pthread folder)
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

NODE = ["node", "--no-experimental-fetch"]
TORCH = "/usr/bin/python3"
TRAIN_MODELS = ["models/toy-en-fr-bahdanau-gru", "models/toy-en-fr-transformer"]


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"machine: {model}, {os.cpu_count()} cores; load: {' '.join(open('/proc/loadavg').read().split()[:3])}"


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def cell(values, fmt):
    m = statistics.median(values)
    spread = (max(values) - min(values)) / m if m else 0.0
    return m, f"{fmt.format(m)} ({spread * 100:.0f}%)"


def rotate(contenders, r):
    k = r % len(contenders)
    return contenders[k:] + contenders[:k]


def train(rounds, steps=20, warmup=3):
    openblas = os.environ["OPENBLAS_DIR"]
    print(f"Training, one thread: target tokens per CPU second over {steps} Trainer steps after {warmup} "
          f"warm-up steps (forward + label-smoothed cross-entropy + backward + clipping + Adam), the same "
          f"batches for every contender; median of {rounds} rounds (spread)")
    print(machine())
    blas_lines = {}
    for model in TRAIN_MODELS:
        batches = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
        native_cmd = ["build/native/bench/bench_train", "--model", model, "--steps", str(steps), "--warmup", str(warmup)]
        spec = run_json(native_cmd + ["--write-batches", batches])[0]
        torch_cmd = [TORCH, "bench/torch_train.py", "--model", model, "--batches", batches, "--spec", json.dumps(spec),
                     "--warmup", str(warmup)]
        openblas_env = dict(os.environ, LD_LIBRARY_PATH=openblas, OPENBLAS_NUM_THREADS="1")
        contenders = [
            ("attnlab native", native_cmd, None),
            ("attnlab wasm (node)", NODE + ["build/wasm/bench/bench_train.cjs"] + native_cmd[1:], None),
            ("attnlab native, 128-bit kernel", ["build/native/bench/bench_train_simd128"] + native_cmd[1:], None),
            ("PyTorch + OpenBLAS", torch_cmd, openblas_env),
            ("PyTorch + reference BLAS", torch_cmd, None),
        ]
        results = {name: [] for name, _, _ in contenders}
        for r in range(rounds):
            for name, cmd, env in rotate(contenders, r):
                line = run_json(cmd, env)[0]
                if line["checksum"] != spec["checksum"] or line["tokens"] != spec["tokens"]:
                    sys.exit(f"{name} trained on other batches: checksum {line['checksum']} vs {spec['checksum']}")
                results[name].append(line["tokens_per_second"])
                if "blas_mapped" in line:
                    blas_lines[name] = f"{line['blas_config']}; mapped: {', '.join(line['blas_mapped']) or 'none'}"
        os.unlink(batches)
        native = statistics.median(results["attnlab native"])
        print(f"\n{model} ({spec['tokens']} target tokens in {steps} batches, checksum {spec['checksum']} "
              f"identical in every run; label smoothing {spec['label_smoothing']:g}, Adam {spec['adam'][:3]})")
        print("| contender | tokens/s | attnlab native ÷ contender (speed) |")
        print("| --- | ---: | ---: |")
        for name, _, _ in contenders:
            m, text = cell(results[name], "{:.0f}")
            ratio = "—" if name == "attnlab native" else f"{native / m:.2f}×"
            print(f"| {name} | {text} | {ratio} |")
        wasm = statistics.median(results["attnlab wasm (node)"])
        narrow = statistics.median(results["attnlab native, 128-bit kernel"])
        print(f"the vector width: native time with the 128-bit kernel ÷ native {native / narrow:.2f}×; "
              f"wasm time ÷ native with the 128-bit kernel {narrow / wasm:.2f}×")
        print(f"wasm time ÷ native time: {native / wasm:.2f}× (target ≤ 1.3×); "
              f"attnlab ÷ PyTorch+OpenBLAS: {native / statistics.median(results['PyTorch + OpenBLAS']):.2f}× (target ≥ 1.5×)")
    for name, line in blas_lines.items():
        print(f"{name}: {line}")
    print("attnlab: its own kernels (tensor/gemm.cpp), no external BLAS")
    print(machine().replace("machine: ", "after: "))


def infer(rounds, tokens=10):
    models = sorted(os.path.join("models", m) for m in os.listdir("models")
                    if os.path.exists(os.path.join("models", m, "config.json")))
    print(f"Inference, one thread: CPU ms per sentence, greedy, translate() (tokenise, decode, attention maps, "
          f"detokenise): per task the first test sentence of {tokens} source tokens (or the closest); "
          f"median of {rounds} rounds (spread)")
    print(machine())
    contenders = [("native", ["build/native/bench/bench_infer", "--tokens", str(tokens)] + models),
                  # node is still tiering the first model's code up after bench_infer's default 300 ms
                  ("wasm", NODE + ["build/wasm/bench/bench_infer.cjs", "--tokens", str(tokens), "--warmup-ms", "1000"]
                   + models),
                  ("native128", ["build/native/bench/bench_infer_simd128", "--tokens", str(tokens)] + models)]
    results = {(c, m): [] for c, _ in contenders for m in models}
    sentence = {}
    for r in range(rounds):
        for name, cmd in rotate(contenders, r):
            for line in run_json(cmd):
                results[(name, line["model"])].append(line["ms_per_sentence"])
                sentence[line["model"]] = (line["sentence"], line["source_tokens"], line["output"])
    print("| model | native ms | wasm ms (node) | wasm ÷ native | native, 128-bit kernel ms | wasm ÷ native 128-bit "
          "| targets ≤ 1 ms / ≤ 1.5 ms / ≤ 1.2× |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for m in models:
        n, nt = cell(results[("native", m)], "{:.2f}")
        w, wt = cell(results[("wasm", m)], "{:.2f}")
        s, st = cell(results[("native128", m)], "{:.2f}")
        met = " / ".join("met" if ok else "not met" for ok in (n <= 1.0, w <= 1.5, w / n <= 1.2))
        print(f"| {os.path.basename(m)} | {nt} | {wt} | {w / n:.2f}× | {st} | {w / s:.2f}× | {met} |")
    for m in models:
        print(f"{os.path.basename(m)}: \"{sentence[m][0]}\" ({sentence[m][1]} tokens) -> \"{sentence[m][2]}\"")
    print(machine().replace("machine: ", "after: "))


if __name__ == "__main__":
    what, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    {"train": train, "infer": infer}[what](rounds)
