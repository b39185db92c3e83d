"""attnlab's models are numerically the same as PyTorch (scripts/torch_reference.py).

Run from the repository root with Debian's Python (python3-torch, python3-numpy):
    ATTNLAB_BIN=build/native/attnlab /usr/bin/python3 -m unittest discover -s tests/parity -v

Both directions, padded batches of several sentences, every comparison to 1e-4 (abs and rel):
  * RNN Seq2Seq, every variant (gru/lstm/rnn × none/bahdanau/luong × the five scores, bidirectional
    on/off, 1–2 layers, input feeding on/off):
    - CppToTorch: bundles written by `attnlab train` (1 epoch on 50 pairs of the reverse task) are
      loaded into the torch model; teacher-forced logits and attention of `attnlab forward` must agree
      with torch's, and greedy decoding must give the same tokens as `attnlab translate --json`.
    - TorchToCpp: torch models with torch's own random init are exported as bundles and run by attnlab;
      the same comparisons.
  * Transformer (post-LN and pre-LN, tied and untied embeddings, 1–4 heads, 1–2 layers):
    - CppTransformerToTorch / TorchTransformerToCpp: the same in both directions, for the logits and
      every attention map per layer and head (encoder self, decoder self, cross), teacher-forced
      (`attnlab forward`) and along greedy decoding (`attnlab translate --json`, attnlab's cached
      incremental decoder, against torch re-reading the whole prefix).
    - The same for the Aaren model (architecture "aaren": torch_reference.Aaren, nn.MultiheadAttention
      called with the layer's learned query repeated and the causal mask), both directions, post-LN and
      pre-LN.
  * ShippedBundles: every trained bundle of models/ (every task, RNN, Transformer and Aaren) loaded into
    its torch module, on the first sentences of its own task's test split.
  * TorchTrainExample: scripts/torch_train_example.py (a Transformer trained in PyTorch on attnlab's
    data from `attnlab data`, exported as a bundle) gives the same translations and exact match in
    attnlab as in PyTorch.
  * SafetensorsRoundTrip: the Python reader/writer keeps every tensor bit for bit.
"""
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import torch_reference as tr  # noqa: E402

BIN = os.environ.get("ATTNLAB_BIN", os.path.join(REPO, "build", "native", "attnlab"))
if not os.path.isabs(BIN):
    BIN = os.path.join(os.getcwd(), BIN)
TOL = 1e-4
MAX_LENGTH = 12           # greedy decoding length for both sides (random weights rarely emit <eos>)
MAX_DIFF = {}             # what -> (max abs difference, max relative difference) over all variants
GREEDY = {"sentences": 0, "tokens": 0}


def run(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"attnlab {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def array(j, dtype=np.float32):
    return np.array(j["data"], dtype=dtype).reshape(j["shape"])


def digits(rng, n):
    return " ".join(rng.choice("0123456789") for _ in range(n))


def sentence_pairs(seed, count):
    """count reverse-task pairs of different lengths (1..7 digits): padding on both sides."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        s = digits(rng, rng.randint(1, 7))
        pairs.append([s, " ".join(reversed(s.split()))])
    return pairs


def record(what, ours, theirs):
    diff = np.abs(ours - theirs)
    rel = diff / np.maximum(np.abs(theirs), 1e-6)
    a, r = MAX_DIFF.get(what, (0.0, 0.0))
    # the relative difference where it means something (|x| ≥ 1e-3; below, the absolute one decides)
    big = np.abs(theirs) >= 1e-3
    rel_max = float(rel[big].max()) if big.any() else 0.0
    MAX_DIFF[what] = (max(a, float(diff.max()) if diff.size else 0.0), max(r, rel_max))


class ParityCase(unittest.TestCase):
    tmp = None

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(BIN):
            raise AssertionError(f"no attnlab binary at {BIN}: build it (scripts/build.sh native attnlab) or set ATTNLAB_BIN")
        cls.tmp = tempfile.mkdtemp(prefix="attnlab-parity-")

    @classmethod
    def tearDownClass(cls):
        if cls.tmp:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_forward(self, folder, pairs, name):
        """`attnlab forward` on one padded batch -> (its JSON, source, lengths, target_in as torch tensors)."""
        pairs_file = os.path.join(self.tmp, name)
        with open(pairs_file, "w") as f:
            json.dump(pairs, f)
        j = json.loads(run("forward", "--model", folder, "--pairs", pairs_file, "--json"))
        source = torch.tensor(array(j["source"], np.int64))
        self.assertEqual(tuple(source.shape)[0], len(pairs))
        return j, source, torch.tensor(array(j["source_lengths"], np.int64)), torch.tensor(array(j["target_in"], np.int64))

    def assert_close(self, what, ours, theirs, message):
        """attnlab's values agree with torch's to 1e-4 abs / 1e-4 rel (and the worst difference is recorded)."""
        self.assertEqual(ours.shape, tuple(theirs.shape), f"{what}: shape")
        theirs = theirs.numpy() if isinstance(theirs, torch.Tensor) else theirs
        record(what, ours, theirs)
        np.testing.assert_allclose(ours, theirs, rtol=TOL, atol=TOL, err_msg=f"{what}, {message}")

    def check_greedy(self, folder, model, vocab, pairs, source, lengths):
        """Greedy decoding of every source sentence of the batch: `attnlab translate --json` gives the tokens
        of torch's greedy decoding. Returns [(translate JSON, source ids, torch's output ids)]."""
        tokens, out = vocab["target"]["tokens"], []
        for b, (src_text, _) in enumerate(pairs):
            j = json.loads(run("translate", "--model", folder, "--json", "--max-length", str(MAX_LENGTH), src_text))
            ids = source[b, :int(lengths[b])].tolist()
            theirs = model.greedy(ids, MAX_LENGTH)
            self.assertEqual(j["output_tokens"], [tokens[i] for i in theirs], f"greedy decoding of {src_text!r}")
            GREEDY["sentences"] += 1
            GREEDY["tokens"] += len(theirs)
            out.append((j, ids, theirs))
        return out

    def check_bundle(self, folder, seed, direction, pairs_of=None):
        """Teacher-forced logits + attention and greedy decoding of one bundle: attnlab vs torch.
        pairs_of(count) gives the batch (default: reverse-task pairs drawn from seed)."""
        pairs_of = pairs_of or (lambda count: sentence_pairs(seed * 10 + count, count))
        model, config, vocab = tr.load_bundle(folder)
        for count in (1, 4):  # one sentence, and a padded batch of four
            pairs = pairs_of(count)
            j, source, lengths, target_in = self.run_forward(folder, pairs, f"pairs{count}.json")
            with torch.no_grad():
                logits, attention = model(source, lengths, target_in)
            self.assert_close(direction + " logits", array(j["logits"]), logits, pairs)
            if config["model"]["attention"] == "none":
                self.assertIsNone(j["attention"])
                self.assertIsNone(attention)
            else:
                cpp_att = array(j["attention"])
                self.assert_close(direction + " attention", cpp_att, attention, pairs)
                # each attention row is a distribution over the real source positions only
                for b in range(count):
                    L = int(lengths[b])
                    np.testing.assert_allclose(cpp_att[b, :, :L].sum(-1), 1.0, atol=1e-5)
                    self.assertTrue((cpp_att[b, :, L:] == 0).all())
            self.check_greedy(folder, model, vocab, pairs, source, lengths)

    def check_transformer_bundle(self, folder, seed, direction, pairs_of=None):
        """The same for a Transformer: teacher-forced logits and every attention map (encoder self, decoder
        self, cross; per layer and head) of `attnlab forward`, and greedy decoding with the maps of
        `attnlab translate --json` (attnlab's cached step-by-step decoder) against torch's on that output."""
        pairs_of = pairs_of or (lambda count: sentence_pairs(seed * 10 + count, count))
        model, config, vocab = tr.load_bundle(folder)
        self.assertIsInstance(model, tr.Transformer)
        m = config["model"]
        for count in (1, 3, 5):  # one sentence, and padded batches
            pairs = pairs_of(count)
            j, source, lengths, target_in = self.run_forward(folder, pairs, f"pairs{count}.json")
            with torch.no_grad():
                logits = model(source, lengths, target_in)
            maps = model.attention_maps(source, lengths, target_in)
            self.assert_close(direction + " logits", array(j["logits"]), logits, pairs)
            B, Ts, Tt = count, source.shape[1], target_in.shape[1]
            for name, (layers, rows, cols) in {"encoder_self": (m["num_encoder_layers"], Ts, Ts),
                                               "decoder_self": (m["num_decoder_layers"], Tt, Tt),
                                               "cross": (m["num_decoder_layers"], Tt, Ts)}.items():
                ours = array(j["attention"][name])
                self.assertEqual(ours.shape, (B, layers, m["num_heads"], rows, cols), name)
                self.assert_close(f"{direction} {name}", ours, maps[name], pairs)
            # what the maps must be, independent of torch: rows are distributions that ignore source
            # padding, and the decoder never looks ahead
            ours = {name: array(j["attention"][name]) for name in ("encoder_self", "decoder_self", "cross")}
            for name, a in ours.items():
                np.testing.assert_allclose(a.sum(-1), 1.0, atol=1e-5, err_msg=f"{name} rows sum to 1")
            for b in range(B):
                L = int(lengths[b])
                self.assertTrue((ours["cross"][b, ..., L:] == 0).all(), "cross-attention on source padding")
                self.assertTrue((ours["encoder_self"][b, ..., L:] == 0).all(), "self-attention on source padding")
            future = np.triu(np.ones((Tt, Tt), dtype=bool), 1)
            self.assertTrue((ours["decoder_self"][..., future] == 0).all(), "the decoder looks ahead")
            # greedy: the same tokens, and the maps of the incremental decoder equal torch's on that output
            for out, ids, theirs in self.check_greedy(folder, model, vocab, pairs, source, lengths):
                maps = model.attention_maps(torch.tensor([ids]), torch.tensor([len(ids)]),
                                            torch.tensor([[tr.BOS] + theirs[:-1]]))
                for name in ("encoder_self", "decoder_self", "cross"):
                    self.assert_close(f"{direction} greedy {name}", array(out["attention"][name]), maps[name][0], ids)


def cpp_variants():
    """(preset, extra train options) covering every cell × attention × score × bidirectional × layers × feeding."""
    out = []
    for cell in ("gru", "lstm", "rnn"):
        out += [
            (f"context-{cell}", ["--layers", "2"]),
            (f"context-{cell}", ["--no-bidirectional"]),
            (f"bahdanau-{cell}", []),
            (f"bahdanau-{cell}", ["--no-bidirectional", "--layers", "2"]),
            (f"luong-general-{cell}", ["--layers", "2"]),
            (f"luong-general-{cell}", ["--no-input-feeding", "--no-bidirectional"]),
            (f"luong-concat-{cell}", ["--no-input-feeding"]),
            (f"luong-concat-{cell}", ["--layers", "2", "--no-bidirectional"]),
            (f"luong-additive-{cell}", ["--no-bidirectional"]),
            (f"luong-additive-{cell}", ["--layers", "2", "--no-input-feeding"]),
            (f"luong-dot-{cell}", ["--no-input-feeding", "--layers", "2"]),
            (f"luong-dot-{cell}", []),
            (f"luong-scaled-dot-{cell}", []),
            (f"luong-scaled-dot-{cell}", ["--no-input-feeding", "--layers", "2"]),
        ]
    return out


class CppToTorch(ParityCase):
    """Bundles written by `attnlab train` give the same numbers in torch."""

    def test_trained_bundles_match_torch(self):
        for i, (preset, extra) in enumerate(cpp_variants()):
            with self.subTest(preset=preset, options=" ".join(extra)):
                folder = os.path.join(self.tmp, f"cpp{i}")
                run("train", "--task", "reverse", "--model", preset, "--out", folder, "--epochs", "1",
                    "--train-size", "50", "--embedding", str(6 + i % 3), "--hidden", str(8 + i % 4),
                    "--attention-size", str(5 + i % 3), "--seed", str(i + 1), "--quiet", *extra)
                self.check_bundle(folder, seed=i + 1, direction="attnlab bundle -> torch")


def torch_variants():
    """Model configs for every cell × attention × score × input feeding; bidirectional and layers vary."""
    out = []
    for cell in ("gru", "lstm", "rnn"):
        out.append(dict(cell=cell, attention="none", score="dot", bidirectional=True, num_layers=2, input_feeding=False))
        for score in ("additive", "dot", "general", "concat", "scaled-dot"):
            equal = score in ("dot", "scaled-dot")
            out.append(dict(cell=cell, attention="bahdanau", score=score, bidirectional=not equal,
                            num_layers=1 + len(out) % 2, input_feeding=True))
            for feeding in (True, False):
                out.append(dict(cell=cell, attention="luong", score=score, bidirectional=not equal and feeding,
                                num_layers=1 + len(out) % 2, input_feeding=feeding))
    return out


class TorchToCpp(ParityCase):
    """Bundles exported from torch (torch's own random init) give the same numbers in attnlab."""

    def test_exported_bundles_match_attnlab(self):
        words = list("0123456789")
        for i, v in enumerate(torch_variants()):
            with self.subTest(**v):
                torch.manual_seed(100 + i)
                random.Random(i).shuffle(words)
                config = dict(architecture="seq2seq", source_vocab_size=14, target_vocab_size=14,
                              embedding_dim=5 + i % 4, hidden_size=7 + i % 3, attention_size=4 + i % 5,
                              dropout=0.0, **v)
                model = tr.Seq2Seq(config)
                folder = os.path.join(self.tmp, f"torch{i}")
                tr.save_bundle(folder, model, tr.word_vocab(words))
                self.check_bundle(folder, seed=1000 + i, direction="torch bundle -> attnlab")


def cpp_transformer_variants():
    """(preset, train options): post-LN and pre-LN, 1–4 heads, 1–2 layers, tied and untied embeddings."""
    return [
        ("transformer", ["--d-model", "16", "--heads", "2", "--layers", "1", "--ffn", "32"]),
        ("transformer-preln", ["--d-model", "16", "--heads", "4", "--layers", "2", "--ffn", "24", "--tie-embeddings"]),
        ("transformer", ["--d-model", "12", "--heads", "3", "--layers", "2", "--ffn", "20", "--tie-embeddings"]),
        ("transformer-preln", ["--d-model", "8", "--heads", "1", "--layers", "1", "--ffn", "16"]),
        ("aaren", ["--d-model", "12", "--heads", "2", "--layers", "2", "--ffn", "20"]),
        ("aaren-preln", ["--d-model", "8", "--heads", "1", "--layers", "1", "--ffn", "16", "--tie-embeddings"]),
    ]


class CppTransformerToTorch(ParityCase):
    """Transformers trained by `attnlab train` (1 epoch of 300 reverse pairs, noam) give the same numbers in torch."""

    def test_trained_transformers_match_torch(self):
        for i, (preset, extra) in enumerate(cpp_transformer_variants()):
            with self.subTest(preset=preset, options=" ".join(extra)):
                folder = os.path.join(self.tmp, f"cpp-transformer{i}")
                run("train", "--task", "reverse", "--model", preset, "--out", folder, "--epochs", "1",
                    "--train-size", "300", "--schedule", "noam", "--lr", "1", "--warmup", "20",
                    "--seed", str(i + 1), "--quiet", *extra)
                self.check_transformer_bundle(folder, seed=50 + i, direction="attnlab transformer -> torch")


def torch_transformer_variants():
    """Transformer configs: post-LN / pre-LN × tied / untied, 1–4 heads (odd and even: torch takes its
    fast path only for even head counts), different encoder and decoder depths."""
    out = []
    for i, (norm_first, tie, d, heads, enc, dec) in enumerate([
            (False, False, 8, 2, 1, 1), (False, True, 12, 3, 2, 1), (False, False, 16, 4, 2, 2),
            (True, False, 12, 2, 1, 2), (True, True, 8, 1, 2, 2), (True, False, 16, 4, 1, 1)]):
        out.append(dict(norm_first=norm_first, tie_embeddings=tie, d_model=d, num_heads=heads,
                        num_encoder_layers=enc, num_decoder_layers=dec, dim_feedforward=2 * d + 4 * i))
    return out


class TorchTransformerToCpp(ParityCase):
    """Transformers built in torch and exported as bundles give the same numbers in attnlab. Every
    parameter of torch's init is perturbed by N(0, 0.1²) so that biases and layer norms are not 0 and 1."""

    def test_exported_transformers_match_attnlab(self):
        digits = list("0123456789")
        for i, v in enumerate(torch_transformer_variants()):
            with self.subTest(**v):
                torch.manual_seed(200 + i)
                random.Random(i).shuffle(digits)
                # different vocabularies on the two sides: the source has two more words
                vocab = {"source": tr.word_vocab(digits + ["x", "y"])["source"], "target": tr.word_vocab(digits)["target"]}
                architecture = "aaren" if i in (1, 3) else "transformer"
                config = dict(architecture=architecture, source_vocab_size=16, target_vocab_size=14, dropout=0.0,
                              max_length=32, **v)
                model = tr.ARCHITECTURES[architecture](config)
                with torch.no_grad():
                    for p in model.parameters():
                        p.add_(0.1 * torch.randn_like(p))
                folder = os.path.join(self.tmp, f"torch-transformer{i}")
                tr.save_bundle(folder, model, vocab)
                self.assertEqual("generator.weight" in tr.read_safetensors(os.path.join(folder, "model.safetensors")),
                                 not v["tie_embeddings"])
                self.check_transformer_bundle(folder, seed=2000 + i, direction=f"torch {architecture} -> attnlab")


class ShippedBundles(ParityCase):
    """Every trained bundle of models/ (toy-en-fr, toy-en-zh, dates, reverse; RNNs, Transformers, Aaren)
    loaded into its torch module: the same comparisons on sentences of its own task's test split."""

    def test_every_shipped_bundle_matches_torch(self):
        folders = sorted(d for d in glob.glob(os.path.join(REPO, "models", "*")) if os.path.exists(os.path.join(d, "config.json")))
        self.assertGreaterEqual(len(folders), 12)
        for folder in folders:
            with open(os.path.join(folder, "config.json")) as f:
                config = json.load(f)
            test = json.loads(run("data", "--task", config["task"], "--split", "test", "--json", "--train-size", "200",
                                  "--valid-size", "50", "--test-size", "50"))["splits"]["test"]
            pairs_of = lambda count, test=test: [[e["source"], e["target"]] for e in test[:count]]
            with self.subTest(model=os.path.basename(folder)):
                if config["model"]["architecture"] == "seq2seq":
                    self.check_bundle(folder, seed=0, direction="shipped bundle -> torch", pairs_of=pairs_of)
                else:
                    self.check_transformer_bundle(folder, seed=0, direction="shipped bundle -> torch", pairs_of=pairs_of)


class TorchTrainExample(ParityCase):
    """scripts/torch_train_example.py (PyTorch -> attnlab) on a tiny budget: the bundle it exports is
    translated and evaluated by attnlab exactly as PyTorch does; `attnlab data` gives it attnlab's data."""

    def test_torch_trained_transformer_translates_and_evaluates_the_same_in_attnlab(self):
        folder = os.path.join(self.tmp, "example")
        r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "torch_train_example.py"), "--out", folder,
                            "--attnlab", BIN, "--steps", "40", "--train-size", "400", "--valid-size", "10",
                            "--test-size", "30", "--d-model", "16", "--heads", "2", "--ffn", "32", "--warmup", "20",
                            "--check", "8"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        summary = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual((summary["steps"], summary["checked"], summary["identical"]), (40, 8, 8), r.stdout)
        # independently of the script: teacher-forced numbers, maps and greedy decoding
        self.check_transformer_bundle(folder, seed=77, direction="torch-trained example -> attnlab")
        # `attnlab eval` regenerates the same test split from config.json and scores it as torch's greedy does
        model, config, _ = tr.load_bundle(folder)
        data = config["data"]
        self.assertEqual((config["task"], data["train_size"], data["test_size"]), ("reverse", 400, 30))
        test = json.loads(run("data", "--task", "reverse", "--data-seed", str(data["seed"]), "--train-size", "400",
                              "--valid-size", "10", "--test-size", "30", "--split", "test", "--json"))["splits"]["test"]
        torch_exact = sum(model.greedy(e["source_ids"] + [tr.EOS], 2 * len(e["source_ids"]) + 10) ==
                          e["target_ids"] + [tr.EOS] for e in test)
        report = json.loads(run("eval", "--model", folder, "--json"))
        self.assertEqual(report["count"], 30)
        self.assertAlmostEqual(report["exact_match"], torch_exact / 30)

    def test_data_command_gives_the_vocabulary_train_builds_and_ids_of_the_text(self):
        folder = os.path.join(self.tmp, "dates")
        run("train", "--task", "dates", "--model", "bahdanau-gru", "--out", folder, "--epochs", "1",
            "--train-size", "60", "--embedding", "4", "--hidden", "4", "--data-seed", "3", "--quiet")
        # the sizes of train's splits (the valid and test sizes change what the train split holds)
        data = json.loads(run("data", "--task", "dates", "--data-seed", "3", "--train-size", "60", "--json"))
        with open(os.path.join(folder, "vocab.json")) as f:
            self.assertEqual(data["vocab"], json.load(f))
        self.assertEqual((data["level"], {k: len(v) for k, v in data["splits"].items()}),
                         ("char", {"train": 60, "valid": 1000, "test": 1000}))
        for side in ("source", "target"):
            tokens = data["vocab"][side]["tokens"]
            for e in data["splits"]["test"]:  # test characters unseen in training would be <unk>
                self.assertEqual("".join(tokens[i] for i in e[side + "_ids"]).replace("<unk>", "?"),
                                 "".join(c if c in tokens else "?" for c in e[side]))
        for args, message in [(["--split", "train"], "--task is required"),
                              (["--task", "nope"], "unknown task"),
                              (["--task", "copy", "--split", "dev"], "--split: dev not in {train,valid,test,all}"),
                              (["--task", "copy", "--train-size", "-1"], "whole number"),
                              (["--task", "copy", "--seed", "1"], "unknown option --seed")]:
            r = subprocess.run([BIN, "data", *args], capture_output=True, text=True)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn(message, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)


class SafetensorsRoundTrip(ParityCase):
    """The Python safetensors reader/writer and the torch state_dict keep every weight bit for bit."""

    def test_rewritten_bundle_gives_identical_output(self):
        a = os.path.join(self.tmp, "a")
        run("train", "--task", "reverse", "--model", "luong-general-lstm", "--out", a, "--epochs", "1",
            "--train-size", "50", "--embedding", "6", "--hidden", "8", "--layers", "2", "--quiet")
        tensors = tr.read_safetensors(os.path.join(a, "model.safetensors"))
        model, _, _ = tr.load_bundle(a)
        self.assertEqual(sorted(model.state_dict().keys()), sorted(tensors.keys()))
        b = os.path.join(self.tmp, "b")
        shutil.copytree(a, b)
        tr.write_safetensors(os.path.join(b, "model.safetensors"), model.state_dict())
        again = tr.read_safetensors(os.path.join(b, "model.safetensors"))
        for name, t in tensors.items():
            self.assertTrue(torch.equal(t, again[name]), name)
        pairs = os.path.join(self.tmp, "pairs.json")
        with open(pairs, "w") as f:
            json.dump(sentence_pairs(7, 3), f)
        self.assertEqual(run("forward", "--model", a, "--pairs", pairs), run("forward", "--model", b, "--pairs", pairs))


class ForwardCommand(ParityCase):
    """`attnlab forward` refuses bad input with a one-line error and exit status 1."""

    def test_bad_arguments_give_one_line_errors(self):
        folder = os.path.join(self.tmp, "m")
        run("train", "--task", "reverse", "--model", "bahdanau-gru", "--out", folder, "--epochs", "1",
            "--train-size", "50", "--embedding", "4", "--hidden", "4", "--quiet")
        bad_pairs = os.path.join(self.tmp, "bad.json")
        with open(bad_pairs, "w") as f:
            json.dump([["1 2", 3]], f)
        for args, message in [(["--source", "1 2"], "--target"),
                              (["--pairs", bad_pairs], "every entry"),
                              (["--pairs", os.path.join(self.tmp, "missing.json")], "cannot read"),
                              (["--source", "1", "--target", "1", "--beam", "2"], "unknown option --beam")]:
            r = subprocess.run([BIN, "forward", "--model", folder, *args], capture_output=True, text=True)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn(message, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)


def tearDownModule():
    if MAX_DIFF:
        lines = [f"  {k}: max |diff| {a:.3g}, max rel diff {r:.3g}" for k, (a, r) in sorted(MAX_DIFF.items())]
        print("\nparity (attnlab vs torch):\n" + "\n".join(lines) +
              f"\n  greedy: {GREEDY['sentences']} sentences, {GREEDY['tokens']} tokens identical", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
