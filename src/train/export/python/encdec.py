# ---------------------------------------------------------------------------
# encdec.py: the encoder-decoder page's run. BART's and T5's denoising
# objectives (src/core/noising/, src/core/spanCorrupt.ts), the passages they
# noise (src/train/data/encdec.ts), the batches and held-out loss of
# src/train/tasks/encdec.ts, and the model of src/models/encdec.ts. Every
# function draws from its Rng in the notebook's order, so a seed gives the
# same (input, target) pairs here as in the browser.
# ---------------------------------------------------------------------------


def _round_half_up(x):
    """JavaScript's Math.round for x >= 0: halves go up (Python's round() goes to even)."""
    r = math.floor(x)
    return int(r + 1 if x - r >= 0.5 else r)


# ---- the noise itself ---------------------------------------------------------


def iid_noise_mask(length, rate, rng):
    """One coin per position, True (corrupt) with probability rate: exactly one draw each."""
    return [rng.random() < rate for _ in range(length)]


def poisson(lam, rng):
    """Knuth's method: multiply uniforms until the product drops below exp(-lam), in chunks of 30."""
    total = 0
    remaining = lam
    while remaining > 0:
        chunk = min(remaining, 30)
        remaining -= chunk
        threshold = math.exp(-chunk)
        product = rng.random()
        while product >= threshold:
            total += 1
            product *= rng.random()
    return total


def random_segmentation(num_items, num_segments, rng):
    """num_items split into num_segments positive parts, uniform over compositions (T5's _random_segmentation)."""
    if not 1 <= num_segments <= num_items:
        raise ValueError("random_segmentation: need 1 <= %d <= %d" % (num_segments, num_items))
    flags = rng.shuffle_in_place([i < num_segments - 1 for i in range(num_items - 1)])
    lengths, run = [], 1
    for starts_new in flags:
        if starts_new:
            lengths.append(run)
            run = 1
        else:
            run += 1
    lengths.append(run)
    return lengths


def span_corrupt(tokens, noise_density, mean_span_length, sentinel_ids, rng):
    """T5's final objective: round(L * density) noise tokens (clamped to 1..L-1) in
    max(1, round(noise / mean)) spans; non-noise first, each span one sentinel in
    the input and sentinel + its tokens in the target, which ends in the next sentinel."""
    n = len(tokens)
    if n < 2:
        non_noise, noise, num_spans = ([1] if n == 1 else []), [], 0
    else:
        num_noise = min(max(_round_half_up(n * noise_density), 1), n - 1)
        num_spans = min(max(1, _round_half_up(num_noise / mean_span_length)), n - num_noise)
        noise = random_segmentation(num_noise, num_spans, rng)
        non_noise = random_segmentation(n - num_noise, num_spans, rng)
    if len(sentinel_ids) < num_spans + 1:
        raise ValueError("span_corrupt: %d spans need %d sentinels" % (num_spans, num_spans + 1))
    inp, target, pos = [], [], 0
    for s, kept in enumerate(non_noise):
        inp += tokens[pos:pos + kept]
        pos += kept
        if s < num_spans:
            inp.append(sentinel_ids[s])
            target.append(sentinel_ids[s])
            target += tokens[pos:pos + noise[s]]
            pos += noise[s]
    target.append(sentinel_ids[num_spans])
    return inp, target


def replace_runs_with_sentinels(tokens, noise, sentinel_ids):
    """Each maximal run of noise becomes the next sentinel; the target spells the runs out after their sentinels."""
    n = len(tokens)
    runs = sum(1 for i in range(n) if noise[i] and (i == 0 or not noise[i - 1]))
    if len(sentinel_ids) < runs + 1:
        raise ValueError("replace_runs_with_sentinels: %d spans need %d sentinels" % (runs, runs + 1))
    inp, target, s, i = [], [], 0, 0
    while i < n:
        if not noise[i]:
            inp.append(tokens[i])
            i += 1
            continue
        run = []
        while i < n and noise[i]:
            run.append(tokens[i])
            i += 1
        inp.append(sentinel_ids[s])
        target += [sentinel_ids[s]] + run
        s += 1
    target.append(sentinel_ids[s])
    return inp, target


def text_infilling(tokens, rate, lam, mask_id, rng):
    """BART: round(rate * n) tokens covered by spans of Poisson(lam) lengths (the last
    cut to fit, then the lengths shuffled), each span one mask; the kept runs around
    them a uniform weak composition. Target: the whole text."""
    n = len(tokens)
    num_to_mask = _round_half_up(rate * n)
    spans, covered = [], 0
    while covered < num_to_mask:
        length = min(poisson(lam, rng), num_to_mask - covered)
        spans.append(length)
        covered += length
    rng.shuffle_in_place(spans)
    kept_runs = [p - 1 for p in random_segmentation(n - num_to_mask + len(spans) + 1, len(spans) + 1, rng)]
    inp, pos = [], 0
    for j, kept in enumerate(kept_runs):
        inp += tokens[pos:pos + kept]
        pos += kept
        if j == len(spans):
            break
        inp.append(mask_id)
        pos += spans[j]
    return inp, list(tokens)


def sentence_permutation(doc, rng):
    """BART: the sentences in a random order (Fisher-Yates over their indices). Target: the original."""
    order = rng.shuffle_in_place(list(range(len(doc))))
    return [t for s in order for t in doc[s]], [t for s in doc for t in s]


def apply_objective(objective, doc, rate, span, mask_id, sentinel_ids, vocab_size, rng):
    """applyObjective (src/core/noising/objectives.ts): a passage (sentences of ids) -> (input, target)."""
    tokens = [t for s in doc for t in s]
    if objective == "token-masking":
        noise = iid_noise_mask(len(tokens), rate, rng)
        return [mask_id if c else t for t, c in zip(tokens, noise)], tokens
    if objective == "token-deletion":
        noise = iid_noise_mask(len(tokens), rate, rng)
        return [t for t, c in zip(tokens, noise) if not c], tokens
    if objective == "text-infilling":
        return text_infilling(tokens, rate, span, mask_id, rng)
    if objective == "sentence-permutation":
        return sentence_permutation(doc, rng)
    if objective == "document-rotation":
        start = rng.random_int(len(tokens)) if tokens else 0
        return tokens[start:] + tokens[:start], tokens
    if objective == "bart-final":  # permute the sentences, then infill 30% with Poisson(3) spans
        permuted, original = sentence_permutation(doc, rng)
        return text_infilling(permuted, 0.3, 3, mask_id, rng)[0], original
    if objective == "prefix-lm":  # split in [1, n-1]: input the prefix, target the rest
        split = 1 + rng.random_int(len(tokens) - 1)
        return tokens[:split], tokens[split:]
    if objective == "bert-style":  # corrupted w.p. rate; then 90% mask, 10% a random id other than the mask
        inp = []
        for t in tokens:
            if not rng.random() < rate:
                inp.append(t)
            elif rng.random() < 0.9:
                inp.append(mask_id)
            elif 0 <= mask_id < vocab_size:
                r = rng.random_int(vocab_size - 1)
                inp.append(r + 1 if r >= mask_id else r)
            else:
                inp.append(rng.random_int(vocab_size))
        return inp, tokens
    if objective == "deshuffle":
        order = rng.shuffle_in_place(list(range(len(tokens))))
        return [tokens[i] for i in order], tokens
    if objective == "iid-replace-spans":
        return replace_runs_with_sentinels(tokens, iid_noise_mask(len(tokens), rate, rng), sentinel_ids)
    if objective == "iid-drop":  # input the kept tokens, target the dropped ones in order
        noise = iid_noise_mask(len(tokens), rate, rng)
        return [t for t, c in zip(tokens, noise) if not c], [t for t, c in zip(tokens, noise) if c]
    if objective == "random-spans":
        return span_corrupt(tokens, rate, span, sentinel_ids, rng)
    raise ValueError("unknown objective %r" % (objective,))


def draw_passage(docs, max_words, rng):
    """Whole sentences of one document from a random start, as many as fit in max_words
    (the first cut if longer); a one-word passage borrows from the sentence before or after."""
    doc = docs[math.floor(rng.random() * len(docs))]
    start = math.floor(rng.random() * len(doc))
    out = [doc[start][:max_words]]
    words = len(out[0])
    s = start + 1
    while s < len(doc) and words + len(doc[s]) <= max_words:
        out.append(list(doc[s]))
        words += len(doc[s])
        s += 1
    if words < 2 and max_words >= 2:
        room = max_words - words
        if start > 0:
            out.insert(0, doc[start - 1][-room:])
        elif len(doc) > 1:
            out.append(doc[1][:room])
    return out


# ---- the model (src/models/encdec.ts) -----------------------------------------


class CrossAttention(nn.Module):
    """Queries from the decoder, keys and values from the encoder's memory:
    softmax(q k^T / sqrt(d_head) + source padding mask) v, wkv = [Wk | Wv]."""

    def __init__(self, d, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.wq = nn.Parameter(torch.zeros(d, d))  # [d, d]
        self.bq = nn.Parameter(torch.zeros(d))  # [d]
        self.wkv = nn.Parameter(torch.zeros(d, 2 * d))  # [d, 2d]: columns [k | v]
        self.bkv = nn.Parameter(torch.zeros(2 * d))  # [2d]
        self.wo = nn.Parameter(torch.zeros(d, d))  # [d, d], writes into the residual stream
        self.bo = nn.Parameter(torch.zeros(d))  # [d]

    def forward(self, y, mem, mask):  # y [B, T, d], mem [B, S, d], mask [B, 1, 1, S] -> [B, T, d]
        B, T, d = y.shape
        S = mem.shape[1]
        H = self.n_heads
        dh = d // H
        q = linear(y, self.wq, self.bq).reshape(B, T, H, dh).transpose(1, 2)  # [B, H, T, dh]
        k, v = linear(mem, self.wkv, self.bkv).split(d, dim=-1)  # 2 x [B, S, d]
        k, v = (t.reshape(B, S, H, dh).transpose(1, 2) for t in (k, v))  # [B, H, S, dh]
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + mask, dim=-1) @ v  # [B, H, T, dh]
        return linear(att.transpose(1, 2).reshape(B, T, d), self.wo, self.bo)


class DecoderBlock(nn.Module):
    """y += SelfAttn(LN1(y)) causal;  y += CrossAttn(LN3(y), mem);  y += MLP(LN2(y))."""

    def __init__(self, d, n_heads):
        super().__init__()
        # Registered in the notebook's init order: ln1, attn, ln3, xattn, ln2, mlp.
        self.ln1 = LayerNorm(d)
        self.attn = SelfAttention(d, n_heads)
        self.ln3 = LayerNorm(d)
        self.xattn = CrossAttention(d, n_heads)
        self.ln2 = LayerNorm(d)
        self.mlp = MLP(d)

    def forward(self, y, mem, self_mask, cross_mask):  # [B, T, d] -> [B, T, d]
        y = y + self.attn(self.ln1(y), self_mask)
        y = y + self.xattn(self.ln3(y), mem, cross_mask)
        return y + self.mlp(self.ln2(y))


class Encoder(nn.Module):
    """mem = LN_enc(blocks(E[src] + P_enc[0..S))), every token attending to every real source token."""

    def __init__(self, max_source, d, n_layers, n_heads):
        super().__init__()
        self.wpe = nn.Parameter(torch.zeros(max_source, d))  # P_enc [S, d]
        self.h = nn.ModuleList([Block(d, n_heads) for _ in range(n_layers)])
        self.lnf = LayerNorm(d)


class Decoder(nn.Module):
    """phi = LN_dec(decoder blocks(E[dec_in] + P_dec[0..T))), dec_in = <s> + target shifted right."""

    def __init__(self, max_target, d, n_layers, n_heads):
        super().__init__()
        self.wpe = nn.Parameter(torch.zeros(max_target, d))  # P_dec [T, d]
        self.h = nn.ModuleList([DecoderBlock(d, n_heads) for _ in range(n_layers)])
        self.lnf = LayerNorm(d)


class EncoderDecoder(nn.Module):
    """A tiny encoder-decoder (the shape of T5 and BART) with one embedding E for the
    encoder input, the decoder input and the output:
    p(target_t | target_<t, src) = softmax(E phi_t)."""

    def __init__(self, vocab_size, max_source, max_target, d_model, n_layers, n_heads):
        super().__init__()
        self.d_model, self.n_layers, self.n_heads = d_model, n_layers, n_heads
        self.wte = nn.Parameter(torch.zeros(vocab_size, d_model))  # E [V, d]
        self.enc = Encoder(max_source, d_model, n_layers, n_heads)
        self.dec = Decoder(max_target, d_model, n_layers, n_heads)

    def param_info(self):
        """(name, tensor, kind, residual) in the notebook's init order (encDecParamInfo):
        wte, enc.wpe, dec.wpe, then the encoder blocks and LN, then the decoder's."""
        named = dict(notebook_names(self))
        order = ["wte", "enc.wpe", "dec.wpe"] + [n for n in named if n not in ("wte", "enc.wpe", "dec.wpe")]
        info = []
        for name in order:
            last = name.split(".")[-1]
            if name.endswith("wpe") or name == "wte":
                kind = "embedding"
            elif last == "g":
                kind = "gain"
            elif last.startswith("b"):
                kind = "bias"
            else:
                kind = "weight"
            info.append((name, named[name], kind, name.endswith(("attn.wo", "mlp.w2"))))  # xattn.wo too
        return info

    def encode(self, src, src_lengths):
        """src [B, S] int64, src_lengths [B] -> mem [B, S, d], and the source padding mask [B, 1, 1, S]."""
        B, S = src.shape
        keys = torch.arange(S, device=src.device)
        mask = torch.where(keys[None, :] < src_lengths[:, None], 0.0, MASKED)[:, None, None, :]
        x = self.wte[src] + self.enc.wpe[:S]  # [B, S, d]
        for block in self.enc.h:
            x = block(x, mask)
        return self.enc.lnf(x), mask

    def decode(self, mem, cross_mask, dec_in):
        """dec_in [B, T] int64 -> phi [B, T, d]; position t sees dec_in[0..t] and every real source token."""
        T = dec_in.shape[1]
        causal = torch.triu(torch.full((T, T), MASKED, device=dec_in.device), diagonal=1)  # [T, T]
        y = self.wte[dec_in] + self.dec.wpe[:T]  # [B, T, d]
        for block in self.dec.h:
            y = block(y, mem, causal, cross_mask)
        return self.dec.lnf(y)

    def forward(self, x, reduction="mean"):
        """-log p(target | earlier targets, source) over the real target positions: their mean (or sum)."""
        mem, cross_mask = self.encode(x["source_ids"], x["source_lengths"])
        phi = self.decode(mem, cross_mask, x["decoder_input"])  # [B, T, d]
        logits = phi.reshape(-1, self.d_model)[x["target_rows"]] @ self.wte.t()  # [M, V], E tied
        return F.cross_entropy(logits, x["target_ids"], reduction=reduction)


# ---- the data (src/train/data/encdec.ts) ----------------------------------------

ENCDEC_SENTINELS = 40  # enough for every span of the longest passage (one per two words, plus one)
ENCDEC_LENGTH_SLACK = 8  # inserted masks and sentinels can make an input or target longer than its passage


def sentinel_name(i):
    """T5's paper writes its sentinels <X>, <Y>, <Z>; later ones are numbered."""
    return ["<X>", "<Y>", "<Z>"][i] if i < 3 else "<extra_id_%d>" % i


ENCDEC_SPECIALS = ("[PAD]", "<s>", "</s>", "[MASK]") + tuple(sentinel_name(i) for i in range(ENCDEC_SENTINELS))


class EncDecPairs:
    """Noised (input, target) pairs padded into one batch, as flat lists (row-major).

    source_ids [B*S] (an empty input becomes one padding token, so every row has a key),
    source_lengths [B], decoder_input [B*T] = <s> + target without its last token,
    target_rows [M] (flat b*T + t of every real target position), target_ids [M].
    """

    def __init__(self, pairs, S, T, pad, bos):
        self.rows, self.S, self.T = len(pairs), S, T
        self.source_ids, self.source_lengths = [pad] * (len(pairs) * S), []
        self.decoder_input, self.target_rows, self.target_ids = [pad] * (len(pairs) * T), [], []
        for b, (inp, target) in enumerate(pairs):
            inp = inp if inp else [pad]
            self.source_ids[b * S:b * S + len(inp)] = inp
            self.source_lengths.append(len(inp))
            dec = [bos] + target[:-1]
            self.decoder_input[b * T:b * T + len(dec)] = dec
            self.target_rows += [b * T + t for t in range(len(target))]
            self.target_ids += target

    def tensors(self, device, lo=0, hi=None):
        """Rows [lo, hi) as int64 tensors, flat target rows rebased to the slice."""
        S, T = self.S, self.T
        hi = self.rows if hi is None else hi
        keep = [k for k, r in enumerate(self.target_rows) if lo * T <= r < hi * T]
        L = lambda xs: torch.tensor(xs, dtype=torch.long, device=device)  # noqa: E731
        return {
            "source_ids": L(self.source_ids[lo * S:hi * S]).reshape(hi - lo, S),  # [B, S]
            "source_lengths": L(self.source_lengths[lo:hi]),  # [B]
            "decoder_input": L(self.decoder_input[lo * T:hi * T]).reshape(hi - lo, T),  # [B, T]
            "target_rows": L([self.target_rows[k] - lo * T for k in keep]),  # [M]
            "target_ids": L([self.target_ids[k] for k in keep]),  # [M]
        }


# ---- the task (src/train/tasks/encdec.ts) -----------------------------------------

ENCDEC_EVAL_BATCHES = 4  # held-out loss: the mean over this many batches of fixed passages


class EncDecTask:
    """Denoising: every arm noises the step's shared passages with its own objective
    (BART's or T5's) and learns to write the target from the noised input."""

    divergence = "stop"  # any arm that blows up stops the run
    reference_arm = 0

    def __init__(self, run, ctx):
        self.run, self.ctx = run, ctx
        m = run["model"]
        if run["data"]["kind"] != "corpus":
            sys.exit("The encoder-decoder demo trains on a corpus with sentence boundaries.")
        corpus = load_corpus_file(run["data"], ctx.data_path)
        self.tokenizer = build_word_tokenizer(corpus_text(corpus, "train"), m["wordVocab"], ENCDEC_SPECIALS)
        vocab = self.tokenizer.vocab
        self.pad, self.bos, self.eos, self.mask = (vocab.index(s) for s in ENCDEC_SPECIALS[:4])
        self.sentinels = [vocab.index(s) for s in ENCDEC_SPECIALS[4:]]
        self.vocab_size = len(vocab)
        # Passages need two words at least (a prefix LM needs a prefix and a target).
        self.train_docs, self.held_docs = (
            [d for d in tokenize_documents(corpus, split, self.tokenizer) if sum(map(len, d)) >= 2]
            for split in ("train", "heldOut"))
        self.max_len = m["passageLength"] + ENCDEC_LENGTH_SLACK  # S = T: the longest input and target
        self.batch_rng = Rng(seed_for(run["seed"], "data"))
        eval_rng = Rng(seed_for(run["seed"], "eval"))
        self.eval_passages = [draw_passage(self.held_docs, m["passageLength"], eval_rng)
                              for _ in range(ENCDEC_EVAL_BATCHES * run["batchSize"])]
        self.arm_state = []  # per arm, in arm order: its noise stream and held-out batches
        self.ref_tokens = 0

    def noised(self, spec, passage, rng):
        """The arm's objective on a passage, cut to the model's lengths; the target ends with </s>."""
        inp, target = apply_objective(spec["objective"], passage, spec["rate"], spec["span"], self.mask,
                                      self.sentinels, self.vocab_size, rng)
        return inp[:self.max_len], target[:self.max_len - 1] + [self.eos]

    def batch(self, pairs):
        return EncDecPairs(pairs, self.max_len, self.max_len, self.pad, self.bos)

    def make_model(self, spec):
        m, seed, B = self.run["model"], self.run["seed"], self.run["batchSize"]
        model = EncoderDecoder(self.vocab_size, self.max_len, self.max_len, m["dModel"], m["nLayers"], m["nHeads"])
        init_params(model.param_info(), m["dModel"], m["nLayers"], m["nHeads"], Rng(seed_for(seed, "init")),
                    "gpt2", exact=self.ctx.exact_init)
        noise = Rng(seed_for(seed, "evalNoise"))
        pairs = [self.noised(spec, p, noise) for p in self.eval_passages]
        self.arm_state.append({
            "noise_rng": Rng(seed_for(seed, "noise")),
            "eval": [self.batch(pairs[i * B:(i + 1) * B]).tensors(self.ctx.device) for i in range(ENCDEC_EVAL_BATCHES)],
            # mean tokens (</s> included) the decoder writes per held-out passage
            "target_tokens": sum(len(t) for _, t in pairs) / len(pairs),
        })
        return model

    def draw_batch(self):
        """The step's passages (each arm noises them with its own objective)."""
        self.ref_tokens = 0
        m = self.run["model"]
        return [draw_passage(self.train_docs, m["passageLength"], self.batch_rng) for _ in range(self.run["batchSize"])]

    def arm_loss(self, arm, model, passages):
        """(loss to differentiate, the batch's mean loss for the curve, target tokens, {})."""
        rng = self.arm_state[arm.index]["noise_rng"]
        b = self.batch([self.noised(arm.spec, p, rng) for p in passages])
        lo, hi = self.ctx.shard(b.rows)
        # This rank's share of the mean over all target tokens; DDP averages gradients over ranks, hence * world.
        local = model(b.tensors(self.ctx.device, lo, hi), reduction="sum") / len(b.target_ids)
        tokens = len(b.target_ids)
        if arm.index == 0:
            self.ref_tokens = tokens
        return local * self.ctx.world, self.ctx.all_sum(local.detach()), tokens, {}

    def arm_rng_states(self):
        """For a checkpoint: where each arm's noise stream stands."""
        return [dict(st["noise_rng"].__dict__) for st in self.arm_state]

    def load_arm_rng_states(self, states):
        for st, state in zip(self.arm_state, states):
            st["noise_rng"].__dict__.update(state)

    def step_tokens(self):
        """Arm 0's target tokens this step (the trainer's count)."""
        return self.ref_tokens

    @torch.no_grad()
    def evaluate(self, arm):
        """Held-out loss per target token (mean over the eval batches) and the mean target length."""
        st = self.arm_state[arm.index]
        total = sum(float(arm.model(x)) for x in st["eval"]) / len(st["eval"])
        return {"total": total, "targetTokens": st["target_tokens"]}

    @staticmethod
    def scaled_model(m, preset):
        """The run's model with a --scale preset's depth and width; passages stay the page's length
        (the sentinels in the vocabulary cover the spans of at most ~48 words)."""
        return dict(m, nLayers=preset["nLayers"], dModel=preset["dModel"], nHeads=preset["nHeads"])


TASKS["encdec"] = EncDecTask
