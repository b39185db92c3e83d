"""attnlab's gradients are PyTorch's: one training step of each architecture, every parameter.

Run from the repository root with Debian's Python (python3-torch, python3-numpy):
    ATTNLAB_BIN=build/native/attnlab /usr/bin/python3 -m unittest tests.parity.test_gradient_parity -v
(or with the whole parity suite: scripts/test.sh parity).

For each model (RNN Seq2Seq: Bahdanau GRU, Luong general LSTM with input feeding, Luong dot RNN
without, the context-vector GRU; Transformer post-LN untied, pre-LN tied; Aaren), torch builds it with
its own random init (perturbed so that no bias or layer norm is 0 or 1) and exports it as a bundle.
`attnlab forward --gradients` runs one padded batch of four sentence pairs through the training loss
(cross-entropy of the next token, mean over the real tokens, no dropout, teacher forcing) and prints
its gradient for every parameter; torch computes the same loss on the same batch and calls
backward(). Both have the same parameter names (the bundle's), and every gradient must agree to
1e-4 (absolute and relative, as numpy.testing.assert_allclose(rtol=1e-4, atol=1e-4)); the gradients
are rescaled first so that the largest of each tensor is 1, so a small gradient is held to the same
relative precision as a large one. The loss must agree to 1e-5.
"""
import json
import os
import random
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from test_parity import ParityCase, array, run, sentence_pairs, tr

TOL = 1e-4
MAX_DIFF = {}  # architecture -> largest |attnlab − torch| / max |torch| over its parameters


def seq2seq_variants():
    return [
        dict(cell="gru", attention="bahdanau", score="additive", bidirectional=True, num_layers=1, input_feeding=True),
        dict(cell="lstm", attention="luong", score="general", bidirectional=True, num_layers=2, input_feeding=True),
        dict(cell="rnn", attention="luong", score="dot", bidirectional=False, num_layers=1, input_feeding=False),
        dict(cell="gru", attention="none", score="additive", bidirectional=True, num_layers=2, input_feeding=False),
    ]


def transformer_variants():
    return [
        dict(architecture="transformer", norm_first=False, tie_embeddings=False, d_model=8, num_heads=2,
             num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=20),
        dict(architecture="transformer", norm_first=True, tie_embeddings=True, d_model=12, num_heads=3,
             num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16),
        dict(architecture="aaren", norm_first=False, tie_embeddings=False, d_model=8, num_heads=2,
             num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=12),
    ]


def perturb(model):
    """Adds N(0, 0.1²) to every parameter of torch's init: no bias 0, no layer norm 1."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p))


def torch_loss_gradients(model, source, lengths, target_in, target_out):
    """The training loss of one batch in torch and the gradient of every parameter, by backward()."""
    model.eval()  # no dropout (the configs have none either)
    model.zero_grad()
    out = model(source, lengths, target_in)
    logits = out[0] if isinstance(out, tuple) else out
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1), ignore_index=tr.PAD)
    loss.backward()
    return loss.item(), {name: p.grad for name, p in model.named_parameters()}


class GradientParity(ParityCase):
    """The gradient of the training loss w.r.t. every parameter, attnlab against torch."""

    def check_gradients(self, model, vocab, label, seed):
        folder = os.path.join(self.tmp, label)
        tr.save_bundle(folder, model, vocab)
        pairs = sentence_pairs(seed, 4)
        pairs_file = os.path.join(self.tmp, f"{label}-pairs.json")
        with open(pairs_file, "w") as f:
            json.dump(pairs, f)
        j = json.loads(run("forward", "--model", folder, "--pairs", pairs_file, "--gradients", "--json"))
        tensors = {k: torch.tensor(array(j[k], np.int64)) for k in ("source", "source_lengths", "target_in", "target_out")}
        self.assertGreater(int((tensors["target_out"] == tr.PAD).sum()), 0, "the batch has target padding")
        loss, theirs = torch_loss_gradients(model, tensors["source"], tensors["source_lengths"], tensors["target_in"],
                                            tensors["target_out"])
        self.assertAlmostEqual(j["loss"], loss, delta=1e-5 * max(1.0, abs(loss)), msg=f"{label}: loss")
        ours = j["gradients"]
        self.assertEqual(sorted(ours), sorted(theirs), f"{label}: the parameters")
        for name, g in theirs.items():
            self.assertIsNotNone(g, f"{label}: torch has no gradient for {name}")
            g = g.numpy()
            mine = array(ours[name])
            self.assertEqual(mine.shape, g.shape, f"{label} {name}: shape")
            scale = max(float(np.abs(g).max()), 1e-12)
            diff = float(np.abs(mine - g).max()) / scale
            MAX_DIFF[label.split("-")[0]] = max(MAX_DIFF.get(label.split("-")[0], 0.0), diff)
            np.testing.assert_allclose(mine / scale, g / scale, rtol=TOL, atol=TOL, err_msg=f"{label}: gradient of {name}")

    def test_seq2seq_gradients_match_torch(self):
        words = list("0123456789")
        for i, v in enumerate(seq2seq_variants()):
            with self.subTest(**v):
                torch.manual_seed(300 + i)
                random.Random(i).shuffle(words)
                config = dict(architecture="seq2seq", source_vocab_size=14, target_vocab_size=14, embedding_dim=6,
                              hidden_size=7 + i, attention_size=5, dropout=0.0, **v)
                model = tr.Seq2Seq(config)
                perturb(model)
                self.check_gradients(model, tr.word_vocab(words), f"seq2seq-{v['cell']}-{v['attention']}", seed=3000 + i)

    def test_transformer_gradients_match_torch(self):
        digits = list("0123456789")
        for i, v in enumerate(transformer_variants()):
            with self.subTest(**v):
                torch.manual_seed(400 + i)
                random.Random(i).shuffle(digits)
                vocab = {"source": tr.word_vocab(digits + ["x", "y"])["source"], "target": tr.word_vocab(digits)["target"]}
                config = dict(source_vocab_size=16, target_vocab_size=14, dropout=0.0, max_length=32, **v)
                model = tr.ARCHITECTURES[v["architecture"]](config)
                perturb(model)
                self.check_gradients(model, vocab, f"{v['architecture']}-{i}", seed=4000 + i)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        for k, d in sorted(MAX_DIFF.items()):
            print(f"gradient parity {k}: largest |attnlab − torch| / max|torch| per tensor = {d:.2e}")


if __name__ == "__main__":
    unittest.main()
