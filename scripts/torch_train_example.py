#!/usr/bin/python3
"""PyTorch -> attnlab, end to end: train a small model with the PyTorch reference (torch_reference.py)
on one of attnlab's toy tasks, export it as an attnlab bundle, and check that attnlab translates it
exactly as PyTorch does.

    scripts/build.sh native attnlab
    /usr/bin/python3 scripts/torch_train_example.py --out torch-models/reverse-transformer-torch
    build/native/attnlab translate --model torch-models/reverse-transformer-torch "1 2 3 4 5"
    build/native/attnlab eval --model torch-models/reverse-transformer-torch

1. The data comes from attnlab itself (`attnlab data --task T --json`): the same seeded splits that
   `attnlab train` and `attnlab eval` use, and the vocabularies as `attnlab train` builds them.
2. The model is torch_reference.Transformer (nn.TransformerEncoder/Decoder; post-LN, or pre-LN with
   --preln) or torch_reference.Seq2Seq (--arch bahdanau-gru), trained with Adam and teacher forcing,
   seeded (torch.manual_seed, one thread: the same run gives the same weights).
3. save_bundle writes config.json (with the task and its data seed and sizes, so `attnlab eval`
   regenerates the same test split), model.safetensors and vocab.json.
4. With an attnlab binary (--attnlab, default build/native/attnlab), the first --check test sentences
   are translated by `attnlab translate --json` and by PyTorch's greedy decoding, and compared.
The last line printed is a JSON summary.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as tr  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def attnlab(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"torch_train_example: attnlab {' '.join(args[:2])} failed: {r.stderr.strip()}")
    return r.stdout


def batches(pairs, size, rng):
    """Shuffled batches of (source ids + <eos>, target ids) pairs -> padded (source, lengths, target_in, target_out)."""
    order = list(range(len(pairs)))
    rng.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [pairs[k] for k in order[i:i + size]]
        Ts, Tt = max(len(s) + 1 for s, _ in chunk), max(len(t) + 1 for _, t in chunk)
        source = torch.full((len(chunk), Ts), tr.PAD, dtype=torch.long)
        target_in = torch.full((len(chunk), Tt), tr.PAD, dtype=torch.long)
        target_out = torch.full((len(chunk), Tt), tr.PAD, dtype=torch.long)
        for b, (s, t) in enumerate(chunk):
            source[b, :len(s) + 1] = torch.tensor(s + [tr.EOS])
            target_in[b, :len(t) + 1] = torch.tensor([tr.BOS] + t)
            target_out[b, :len(t) + 1] = torch.tensor(t + [tr.EOS])
        yield source, torch.tensor([len(s) + 1 for s, _ in chunk]), target_in, target_out


def build_model(a, vocab):
    sizes = dict(source_vocab_size=len(vocab["source"]["tokens"]), target_vocab_size=len(vocab["target"]["tokens"]))
    if a.arch == "transformer":
        return tr.Transformer(dict(architecture="transformer", d_model=a.d_model, num_heads=a.heads,
                                   num_encoder_layers=a.layers, num_decoder_layers=a.layers,
                                   dim_feedforward=a.ffn or 4 * a.d_model, dropout=a.dropout, norm_first=a.preln,
                                   tie_embeddings=a.tie_embeddings, max_length=256, **sizes))
    return tr.Seq2Seq(dict(architecture="seq2seq", cell="gru", embedding_dim=a.d_model, hidden_size=2 * a.d_model,
                           num_layers=1, bidirectional=True, attention="bahdanau", score="additive",
                           attention_size=2 * a.d_model, input_feeding=True, dropout=a.dropout, **sizes))


def learning_rate(a, step):
    """noam for the Transformer (lr · d^-0.5 · min(step^-0.5, step · warmup^-1.5)), constant for the RNN."""
    if a.arch != "transformer":
        return a.lr
    return a.lr * a.d_model ** -0.5 * min(step ** -0.5, step * a.warmup ** -1.5)


def exact_match(model, pairs):
    hits = 0
    for s, t in pairs:
        out = model.greedy(s + [tr.EOS], 2 * (len(s) + 1) + 10)
        hits += out == t + [tr.EOS]
    return hits / max(1, len(pairs))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="the bundle folder to write")
    p.add_argument("--attnlab", default=os.path.join(REPO, "build", "native", "attnlab"), help="the attnlab binary")
    p.add_argument("--task", default="reverse", help="an attnlab task (attnlab tasks)")
    p.add_argument("--data-seed", type=int, default=1)
    p.add_argument("--train-size", type=int, default=20000)
    p.add_argument("--valid-size", type=int, default=200)
    p.add_argument("--test-size", type=int, default=1000)
    p.add_argument("--arch", choices=["transformer", "bahdanau-gru"], default="transformer")
    p.add_argument("--preln", action="store_true", help="pre-LN Transformer (norm_first)")
    p.add_argument("--tie-embeddings", action="store_true")
    p.add_argument("--d-model", type=int, default=32, help="d_model; for bahdanau-gru the embedding size (hidden: 2×)")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--ffn", type=int, default=0, help="dim_feedforward (default 4 · d_model)")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--steps", type=int, default=1200, help="optimizer steps")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=None, help="transformer: noam factor (default 2); rnn: Adam lr (2e-3)")
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1, help="torch threads (1: bit-reproducible)")
    p.add_argument("--check", type=int, default=20, help="test sentences translated by attnlab and torch and compared")
    a = p.parse_args()
    if a.lr is None:
        a.lr = 2.0 if a.arch == "transformer" else 2e-3

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    rng = random.Random(a.seed)

    data = json.loads(attnlab(a.attnlab, "data", "--task", a.task, "--data-seed", str(a.data_seed),
                              "--train-size", str(a.train_size), "--valid-size", str(a.valid_size),
                              "--test-size", str(a.test_size), "--json"))
    vocab = data["vocab"]
    split = {k: [(e["source_ids"], e["target_ids"]) for e in v] for k, v in data["splits"].items()}
    model = build_model(a, vocab)
    n_params = sum(t.numel() for t in model.bundle_tensors().values())
    print(f"training {a.arch}{' (pre-LN)' if a.arch == 'transformer' and a.preln else ''} in PyTorch on {a.task}: "
          f"{n_params} parameters, {len(split['train'])} train pairs, vocab {len(vocab['source']['tokens'])} → "
          f"{len(vocab['target']['tokens'])}", flush=True)

    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(ignore_index=tr.PAD, label_smoothing=a.label_smoothing)
    start, step, loss_sum, loss_n = time.time(), 0, 0.0, 0
    model.train()
    while step < a.steps:
        for source, lengths, target_in, target_out in batches(split["train"], a.batch_size, rng):
            step += 1
            for g in optimizer.param_groups:
                g["lr"] = learning_rate(a, step)
            out = model(source, lengths, target_in)
            logits = out[0] if isinstance(out, tuple) else out  # Seq2Seq also returns its attention
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            loss_sum, loss_n = loss_sum + float(loss), loss_n + 1
            if step % 100 == 0 or step == a.steps:
                print(f"step {step}/{a.steps}  loss {loss_sum / loss_n:.4f}  {time.time() - start:.0f} s", flush=True)
                loss_sum, loss_n = 0.0, 0
            if step == a.steps:
                break
    seconds = time.time() - start
    model.eval()
    valid_em = exact_match(model, split["valid"])
    print(f"trained {step} steps in {seconds:.0f} s; PyTorch greedy exact match on valid: {100 * valid_em:.1f} %")

    training = {"source": "scripts/torch_train_example.py", "framework": f"torch {torch.__version__}",
                "arch": a.arch, "seed": a.seed, "steps": step, "batch_size": a.batch_size, "lr": a.lr,
                "schedule": "noam" if a.arch == "transformer" else "constant", "warmup_steps": a.warmup,
                "label_smoothing": a.label_smoothing, "seconds": round(seconds), "valid_exact_match": valid_em}
    description = f"{data['description']} (trained in PyTorch by scripts/torch_train_example.py)"
    tr.save_bundle(a.out, model, vocab, task=a.task, description=description, data=data["data"], training=training)
    print(f"saved {a.out}")

    summary = {"bundle": a.out, "steps": step, "seconds": round(seconds, 1), "valid_exact_match": valid_em}
    if a.check and os.path.exists(a.attnlab):
        tokens, same, examples = vocab["target"]["tokens"], 0, split["test"][:a.check]
        for (s, _), e in zip(examples, data["splits"]["test"]):
            ours = json.loads(attnlab(a.attnlab, "translate", "--model", a.out, "--json", e["source"]))["output_tokens"]
            theirs = [tokens[i] for i in model.greedy(s + [tr.EOS], 2 * len(s) + 10)]
            same += ours == theirs
            if ours != theirs:
                print(f"differs: {e['source']!r}: attnlab {ours} vs PyTorch {theirs}")
        print(f"attnlab translate and PyTorch greedy agree on {same} of {len(examples)} test sentences")
        summary.update(checked=len(examples), identical=same)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
