#!/usr/bin/python3
"""PyTorch reference of attnlab's models: the RNN Seq2Seq family (src/attnlab/models/seq2seq.*) and
the Transformer (src/attnlab/models/transformer.*).

Seq2Seq is built from torch's own modules (nn.Embedding, nn.GRU / nn.LSTM / nn.RNN with batch_first
and pack_padded_sequence, nn.Linear) plus the few lines each attention score needs; Transformer from
nn.Embedding, nn.TransformerEncoder/Decoder of nn.TransformerEncoderLayer/DecoderLayer (batch_first,
norm_first), nn.LayerNorm and nn.Linear. The state_dict keys are exactly the tensor names of an
attnlab bundle (docs/bundle-format.md), so

    model, config, vocab = load_bundle("models/NAME")      # a bundle written by `attnlab train`
    logits, attention = model(source, lengths, target_in)  # Seq2Seq: (B, Tt, V), (B, Tt, Ts) or None
    logits = model(source, lengths, target_in)             # Transformer: (B, Tt, V) ...
    maps = model.attention_maps(source, lengths, target_in)  # ... and {"encoder_self", "decoder_self", "cross"}
    save_bundle("DIR", model, vocab, task="reverse")        # readable by `attnlab --model DIR`

Safetensors is read and written with struct + json (the `safetensors` package is not needed).
Run with Debian's /usr/bin/python3 (python3-torch, python3-numpy).
"""
import json
import math
import os
import struct
import warnings

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, BOS, EOS, UNK = 0, 1, 2, 3

# nn.TransformerEncoder's eval fast path packs padded batches as nested tensors and says so every time
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors is in prototype stage")

MODEL_FIELDS = ["architecture", "cell", "source_vocab_size", "target_vocab_size", "embedding_dim",
                "hidden_size", "num_layers", "bidirectional", "attention", "score", "attention_size",
                "input_feeding", "dropout"]
TRANSFORMER_FIELDS = ["architecture", "source_vocab_size", "target_vocab_size", "d_model", "num_heads",
                      "num_encoder_layers", "num_decoder_layers", "dim_feedforward", "dropout", "norm_first",
                      "tie_embeddings", "max_length"]


# ---------------------------------------------------------------------------------------------
# safetensors with plain struct + json
# ---------------------------------------------------------------------------------------------

def read_safetensors(path):
    """path -> {name: float32 torch.Tensor} (F32, F16 and BF16 are read)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = body[start:end]
        shape = info["shape"]
        if info["dtype"] == "F32":
            arr = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif info["dtype"] == "F16":
            arr = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif info["dtype"] == "BF16":
            arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{path}: unsupported dtype {info['dtype']} of {name}")
        out[name] = torch.from_numpy(arr.reshape(shape).copy())
    return out


def write_safetensors(path, tensors, metadata=None):
    """{name: tensor} -> path, F32 little-endian, tensors contiguous in name order."""
    header = {"__metadata__": metadata or {"format": "pt"}}
    chunks, offset = [], 0
    for name in sorted(tensors):
        arr = tensors[name].detach().cpu().contiguous().numpy().astype("<f4")
        raw = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # pad the header to 8 bytes, as the reference library does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------

def rnn_class(cell):
    return {"gru": nn.GRU, "lstm": nn.LSTM, "rnn": nn.RNN}[cell]


class Encoder(nn.Module):
    """encoder.embedding, encoder.rnn: the encoder states h_j of a padded batch."""

    def __init__(self, c):
        super().__init__()
        self.embedding = nn.Embedding(c["source_vocab_size"], c["embedding_dim"])
        self.rnn = rnn_class(c["cell"])(c["embedding_dim"], c["hidden_size"], c["num_layers"], batch_first=True,
                                        bidirectional=c["bidirectional"])

    # source (B, Ts), lengths (B) -> outputs (B, Ts, D·H) zero at padding, h_n (L·D, B, H), c_n or None
    def forward(self, source, lengths):
        x = self.embedding(source)
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, final = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=source.shape[1])
        h, c = final if isinstance(final, tuple) else (final, None)
        return out, h, c


class Attention(nn.Module):
    """decoder.attention: score(s, h_j) for the five scores of attnlab (nn/attention_score.hpp)."""

    def __init__(self, score, dec, enc, A):
        super().__init__()
        self.score = score
        if score == "additive":            # vᵀ tanh(W s + U h_j)
            self.W = nn.Linear(dec, A, bias=False)
            self.U = nn.Linear(enc, A)
            self.v = nn.Linear(A, 1, bias=False)
        elif score == "general":           # sᵀ W h_j
            self.W = nn.Linear(enc, dec, bias=False)
        elif score == "concat":            # v_aᵀ tanh(W_a [s; h_j])
            self.W_a = nn.Linear(dec + enc, A, bias=False)
            self.v_a = nn.Linear(A, 1, bias=False)
        elif score in ("dot", "scaled-dot"):
            if dec != enc:
                raise ValueError(f"the {score} score needs equal decoder and encoder sizes")
        else:
            raise ValueError(f"unknown score {score}")

    # s (B, Hd), h (B, Ts, He) -> scores (B, Ts)
    def forward(self, s, h):
        if self.score == "additive":
            return self.v(torch.tanh(self.W(s)[:, None, :] + self.U(h))).squeeze(-1)
        if self.score == "general":
            return torch.bmm(self.W(h), s[:, :, None]).squeeze(-1)
        if self.score == "concat":
            both = torch.cat([s[:, None, :].expand(-1, h.shape[1], -1), h], dim=-1)
            return self.v_a(torch.tanh(self.W_a(both))).squeeze(-1)
        dot = torch.bmm(h, s[:, :, None]).squeeze(-1)
        return dot / math.sqrt(s.shape[1]) if self.score == "scaled-dot" else dot


class Decoder(nn.Module):
    """decoder.embedding, decoder.rnn, decoder.attention, decoder.combine, decoder.out."""

    def __init__(self, c):
        super().__init__()
        H, D = c["hidden_size"], 2 if c["bidirectional"] else 1
        self.attention_kind = c["attention"]
        self.feeds = c["attention"] == "luong" and c["input_feeding"]
        extra = (H if self.feeds else 0) if c["attention"] == "luong" else D * H
        self.embedding = nn.Embedding(c["target_vocab_size"], c["embedding_dim"])
        self.rnn = rnn_class(c["cell"])(c["embedding_dim"] + extra, H, c["num_layers"], batch_first=True)
        if c["attention"] != "none":
            self.attention = Attention(c["score"], H, D * H, c["attention_size"])
        self.combine = nn.Linear(D * H + H, H, bias=False)
        self.out = nn.Linear(H, c["target_vocab_size"])

    def attend(self, s, h, mask):
        weights = torch.softmax(self.attention(s, h) + mask, dim=-1)  # (B, Ts)
        return torch.bmm(weights[:, None, :], h).squeeze(1), weights

    # prev (B), state (h (L,B,H), c or None, feed (B,H) or None) -> logits (B, V), attention (B, Ts) or None, state
    def step(self, prev, state, enc):
        h_states, mask, context0 = enc
        hid, cell, feed = state
        emb = self.embedding(prev)
        weights = None
        if self.attention_kind == "none":
            context = context0
            x = torch.cat([emb, context], dim=-1)
        elif self.attention_kind == "bahdanau":  # attend with s_{t-1} before the step
            context, weights = self.attend(hid[-1], h_states, mask)
            x = torch.cat([emb, context], dim=-1)
        else:
            x = torch.cat([emb, feed], dim=-1) if self.feeds else emb
        out, new = self.rnn(x[:, None, :], (hid, cell) if cell is not None else hid)
        hid, cell = new if isinstance(new, tuple) else (new, None)
        s = out[:, 0, :]
        if self.attention_kind == "luong":  # attend with s_t after the step
            context, weights = self.attend(s, h_states, mask)
        attentional = torch.tanh(self.combine(torch.cat([context, s], dim=-1)))  # h̃_t
        logits = self.out(attentional)
        return logits, weights, (hid, cell, attentional if self.feeds else None)


class Seq2Seq(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = dict(config)
        self.config = c
        H, D = c["hidden_size"], 2 if c["bidirectional"] else 1
        self.encoder = Encoder(c)
        self.bridge = nn.Linear(D * H, H)
        if c["cell"] == "lstm":
            self.bridge_cell = nn.Linear(D * H, H)
        self.decoder = Decoder(c)

    def _bridge(self, final, linear):
        L, D = self.config["num_layers"], 2 if self.config["bidirectional"] else 1
        return torch.stack([torch.tanh(linear(torch.cat([final[l * D + d] for d in range(D)], dim=-1)))
                            for l in range(L)])

    # source (B, Ts), lengths (B) -> (encoder states, mask, context), initial decoder state
    def encode(self, source, lengths):
        L, D = self.config["num_layers"], 2 if self.config["bidirectional"] else 1
        out, h_n, c_n = self.encoder(source, lengths)
        Ts = source.shape[1]
        mask = torch.zeros(source.shape[0], Ts)
        mask[torch.arange(Ts)[None, :] >= lengths[:, None]] = float("-inf")
        context = torch.cat([h_n[(L - 1) * D + d] for d in range(D)], dim=-1)
        hid = self._bridge(h_n, self.bridge)
        cell = self._bridge(c_n, self.bridge_cell) if c_n is not None else None
        feed = torch.zeros(source.shape[0], self.config["hidden_size"]) if self.decoder.feeds else None
        return (out, mask, context), (hid, cell, feed)

    # source (B, Ts), lengths (B), target_in (B, Tt) -> logits (B, Tt, V), attention (B, Tt, Ts) or None
    def forward(self, source, lengths, target_in):
        enc, state = self.encode(source, lengths)
        logits, attention = [], []
        for t in range(target_in.shape[1]):
            lg, w, state = self.decoder.step(target_in[:, t], state, enc)
            logits.append(lg)
            attention.append(w)
        att = torch.stack(attention, dim=1) if attention[0] is not None else None
        return torch.stack(logits, dim=1), att

    # source ids of one sentence (ending with <eos>) -> greedy output ids (ending with <eos> if emitted)
    @torch.no_grad()
    def greedy(self, source_ids, max_length):
        src = torch.tensor([source_ids], dtype=torch.long)
        enc, state = self.encode(src, torch.tensor([len(source_ids)]))
        prev, out = torch.tensor([BOS]), []
        for _ in range(max_length):
            logits, _, state = self.decoder.step(prev, state, enc)
            best = int(torch.argmax(logits[0]))
            out.append(best)
            if best == EOS:
                break
            prev = torch.tensor([best])
        return out

    def bundle_config(self):
        return {k: self.config[k] for k in MODEL_FIELDS if k != "architecture"} | {"architecture": "seq2seq"}

    def bundle_tensors(self):
        return self.state_dict()

    def load_bundle_tensors(self, tensors):
        self.load_state_dict(tensors, strict=True)


# ---------------------------------------------------------------------------------------------
# The Transformer
# ---------------------------------------------------------------------------------------------

def sinusoidal_positions(max_length, d):
    """(max_length, d): PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same), in float64 then float32."""
    pos = np.arange(max_length, dtype=np.float64)[:, None]
    two_i = (np.arange(d) - np.arange(d) % 2).astype(np.float64)[None, :]
    angle = pos / np.power(10000.0, two_i / d)
    pe = np.where(np.arange(d)[None, :] % 2 == 0, np.sin(angle), np.cos(angle))
    return torch.from_numpy(pe.astype(np.float32))


def padding_mask(lengths, T):
    """lengths (B) -> (B, T) bool, True at padding (PyTorch's key_padding_mask convention)."""
    return torch.arange(T)[None, :] >= lengths[:, None]


class Transformer(nn.Module):
    """attnlab's Transformer: nn.Transformer's layout with its own embeddings, positions and generator.

      x = √d · src_embedding(source) + PE,  memory = encoder(x)  (nn.TransformerEncoder; encoder.norm pre-LN only)
      y = √d · tgt_embedding(target_in) + PE,  y = decoder(y, memory)  (causal; decoder.norm pre-LN only)
      logits = generator(y)  (with tie_embeddings: y · tgt_embedding.weightᵀ + generator.bias)
    Embeddings start N(0, 1/d) as in attnlab (nn.Embedding's N(0, 1) would drown the positions).
    """

    architecture = "transformer"
    decoder_layer = nn.TransformerDecoderLayer

    def __init__(self, config):
        super().__init__()
        c = dict(config)
        self.config = c
        d, h, ffn = c["d_model"], c["num_heads"], c["dim_feedforward"]
        self.src_embedding = nn.Embedding(c["source_vocab_size"], d)
        self.tgt_embedding = nn.Embedding(c["target_vocab_size"], d)
        for e in (self.src_embedding, self.tgt_embedding):
            nn.init.normal_(e.weight, 0.0, d ** -0.5)
        kw = dict(dropout=c["dropout"], batch_first=True, norm_first=c["norm_first"])
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, ffn, **kw), c["num_encoder_layers"],
                                             norm=nn.LayerNorm(d) if c["norm_first"] else None)
        self.decoder = nn.TransformerDecoder(self.decoder_layer(d, h, ffn, **kw), c["num_decoder_layers"],
                                             norm=nn.LayerNorm(d) if c["norm_first"] else None)
        self.generator = nn.Linear(d, c["target_vocab_size"])
        if c["tie_embeddings"]:
            self.generator.weight = self.tgt_embedding.weight  # one Parameter; the bundle has no generator.weight
        self.register_buffer("positions", sinusoidal_positions(c["max_length"], d), persistent=False)

    def embed(self, embedding, ids):
        """ids (B, T) -> √d · embedding + PE[0:T], dropout (B, T, d)"""
        x = embedding(ids) * math.sqrt(self.config["d_model"]) + self.positions[:ids.shape[1]]
        return nn.functional.dropout(x, self.config["dropout"], self.training)

    def encode(self, source, lengths):
        """-> memory (B, Ts, d), padding (B, Ts) bool"""
        pad = padding_mask(lengths, source.shape[1])
        return self.encoder(self.embed(self.src_embedding, source), src_key_padding_mask=pad), pad

    def decode(self, memory, pad, target_in):
        """-> logits (B, Tt, V)"""
        causal = nn.Transformer.generate_square_subsequent_mask(target_in.shape[1])
        y = self.decoder(self.embed(self.tgt_embedding, target_in), memory, tgt_mask=causal,
                         memory_key_padding_mask=pad)
        return self.generator(y)

    # source (B, Ts), lengths (B), target_in (B, Tt) -> logits (B, Tt, V), by torch's own encoder/decoder
    def forward(self, source, lengths, target_in):
        memory, pad = self.encode(source, lengths)
        return self.decode(memory, pad, target_in)

    @torch.no_grad()
    def attention_maps(self, source, lengths, target_in):
        """Every attention map, per layer and head, as attnlab reports them:
        {"encoder_self": (B, L, h, Ts, Ts), "decoder_self": (B, L, h, Tt, Tt), "cross": (B, L, h, Tt, Ts)}.
        Walks the layers one by one (each layer's own forward), and calls each layer's attention module
        on the input it receives with need_weights=True, average_attn_weights=False (the layers call them
        with need_weights=False)."""
        pad = padding_mask(lengths, source.shape[1])
        causal = nn.Transformer.generate_square_subsequent_mask(target_in.shape[1])
        heads = lambda attn, q, kv, **masks: attn(q, kv, kv, need_weights=True, average_attn_weights=False,
                                                    **masks)[1]
        enc_self, dec_self, cross = [], [], []
        x = self.embed(self.src_embedding, source)
        for layer in self.encoder.layers:
            q = layer.norm1(x) if layer.norm_first else x
            enc_self.append(heads(layer.self_attn, q, q, key_padding_mask=pad))
            x = layer(x, src_key_padding_mask=pad)
        memory = self.encoder.norm(x) if self.encoder.norm is not None else x
        y = self.embed(self.tgt_embedding, target_in)
        for layer in self.decoder.layers:
            q = layer.norm1(y) if layer.norm_first else y
            dec_self.append(heads(layer.self_attn, self.decoder_self_query(layer, q), q, attn_mask=causal))
            if layer.norm_first:  # the input of the cross-attention sublayer (Sub-L2)
                q = layer.norm2(y + layer._sa_block(layer.norm1(y), causal, None))
            else:
                q = layer.norm1(y + layer._sa_block(y, causal, None))
            cross.append(heads(layer.multihead_attn, q, memory, key_padding_mask=pad))
            y = layer(y, memory, tgt_mask=causal, memory_key_padding_mask=pad)
        return {"encoder_self": torch.stack(enc_self, 1), "decoder_self": torch.stack(dec_self, 1),
                "cross": torch.stack(cross, 1)}

    def decoder_self_query(self, layer, y):
        """The query of a decoder layer's self-attention: the layer's input itself."""
        return y

    # source ids of one sentence (ending with <eos>) -> greedy output ids (ending with <eos> if emitted);
    # re-reads the whole prefix at every step (no cache)
    @torch.no_grad()
    def greedy(self, source_ids, max_length):
        memory, pad = self.encode(torch.tensor([source_ids]), torch.tensor([len(source_ids)]))
        out = []
        for _ in range(max_length):
            logits = self.decode(memory, pad, torch.tensor([[BOS] + out]))
            best = int(torch.argmax(logits[0, -1]))
            out.append(best)
            if best == EOS:
                break
        return out

    def bundle_config(self):
        return {k: self.config[k] for k in TRANSFORMER_FIELDS if k != "architecture"} | {"architecture": self.architecture}

    def bundle_tensors(self):
        t = self.state_dict()
        if self.config["tie_embeddings"]:
            del t["generator.weight"]
        return t

    def load_bundle_tensors(self, tensors):
        t = dict(tensors)
        if self.config["tie_embeddings"]:
            if "generator.weight" in t:
                raise ValueError("a bundle with tie_embeddings has no generator.weight")
            t["generator.weight"] = t["tgt_embedding.weight"]
        self.load_state_dict(t, strict=True)


class AarenDecoderLayer(nn.TransformerDecoderLayer):
    """nn.TransformerDecoderLayer whose self-attention is Aaren's: one learned query token
    (`self_attn.query`, (d)) attends over each prefix of the layer's input — nn.MultiheadAttention called
    with the query repeated at every position and the causal mask."""

    def __init__(self, d_model, *args, **kwargs):
        super().__init__(d_model, *args, **kwargs)
        self.self_attn.query = nn.Parameter(torch.randn(d_model) * d_model ** -0.5)

    def _sa_block(self, x, attn_mask, key_padding_mask):
        q = self.self_attn.query.expand(x.shape[0], x.shape[1], -1)
        out = self.self_attn(q, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False)[0]
        return self.dropout1(out)


class Aaren(Transformer):
    """attnlab's architecture "aaren": the Transformer with Aaren as its decoder's self-attention
    (docs/aaren.md); the same tensors plus decoder.layers.{i}.self_attn.query."""

    architecture = "aaren"
    decoder_layer = AarenDecoderLayer

    def decoder_self_query(self, layer, y):
        return layer.self_attn.query.expand(y.shape[0], y.shape[1], -1)


# ---------------------------------------------------------------------------------------------
# Bundles
# ---------------------------------------------------------------------------------------------

ARCHITECTURES = {}  # config.json's model.architecture -> class (filled in below)


def load_bundle(folder):
    """folder -> (Seq2Seq or Transformer in eval mode with the bundle's weights, config.json, vocab.json)."""
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(folder, "vocab.json")) as f:
        vocab = json.load(f)
    arch = config["model"]["architecture"]
    if arch not in ARCHITECTURES:
        raise ValueError(f"{folder}: unknown architecture {arch!r} (known: {', '.join(ARCHITECTURES)})")
    model = ARCHITECTURES[arch](config["model"])
    model.load_bundle_tensors(read_safetensors(os.path.join(folder, "model.safetensors")))
    model.eval()
    return model, config, vocab


def save_bundle(folder, model, vocab, task="reverse", description="written by scripts/torch_reference.py",
                data=None, training=None):
    """Writes config.json, model.safetensors and vocab.json of the model into folder. data: the task's
    {"seed", "train_size", "valid_size", "test_size"} (what `attnlab eval` regenerates), training: a free
    record of how the weights were made."""
    os.makedirs(folder, exist_ok=True)
    config = {"format": "attnlab-bundle", "version": 1, "task": task, "description": description,
              "data": data or {"seed": 1, "train_size": 50, "valid_size": 10, "test_size": 10},
              "training": training or {"source": "torch_reference.py"}, "model": model.bundle_config()}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, "vocab.json"), "w") as f:
        json.dump(vocab, f, indent=1, ensure_ascii=False)
    write_safetensors(os.path.join(folder, "model.safetensors"), model.bundle_tensors())


ARCHITECTURES.update(seq2seq=Seq2Seq, transformer=Transformer, aaren=Aaren)


def word_vocab(words):
    """A vocab.json for the word tokenizer with the four special tokens first."""
    codec = {"tokenizer": "word", "lowercase": True, "tokens": ["<pad>", "<bos>", "<eos>", "<unk>"] + list(words)}
    return {"source": codec, "target": dict(codec)}


if __name__ == "__main__":
    import argparse
    p = argparse.ArgumentParser(description="teacher-forced logits / greedy decoding of an attnlab bundle in PyTorch")
    p.add_argument("--model", required=True)
    p.add_argument("--source", required=True, help="source token ids, space separated, ending with <eos> (2)")
    p.add_argument("--target-in", help="decoder input ids starting with <bos> (1); without: greedy decode")
    p.add_argument("--max-length", type=int, default=20)
    a = p.parse_args()
    model, _, _ = load_bundle(a.model)
    src = [int(x) for x in a.source.split()]
    if a.target_in:
        tin = [int(x) for x in a.target_in.split()]
        args = torch.tensor([src]), torch.tensor([len(src)]), torch.tensor([tin])
        with torch.no_grad():
            if isinstance(model, Transformer):  # every map, (L, h, rows, columns)
                lg, att = model(*args), {k: v[0].tolist() for k, v in model.attention_maps(*args).items()}
            else:  # (Tt, Ts) or None
                lg, att = model(*args)
                att = None if att is None else att[0].tolist()
        print(json.dumps({"logits": lg[0].tolist(), "attention": att}))
    else:
        print(json.dumps({"output_ids": model.greedy(src, a.max_length)}))
