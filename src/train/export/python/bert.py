# ---------------------------------------------------------------------------
# bert.py: the encoder-only page's run. Next-sentence pairs
# (src/core/nspPairs.ts), RoBERTa's full sentences (src/core/fullSentences.ts),
# the masking function A with its 80/10/10 split (src/core/bertMask.ts), the
# padded batches (src/core/bertBatch.ts), the task's static and dynamic masks
# and held-out metrics (src/train/tasks/bert.ts), and the model of
# src/models/bert.ts. Every function draws from its Rng in the notebook's
# order, so a seed gives the same masked batches here as in the browser.
# ---------------------------------------------------------------------------


def _js_round(x):
    """JavaScript's Math.round for x >= 0: halves go up (Python's round() goes to even)."""
    r = math.floor(x)
    return int(r + 1 if x - r >= 0.5 else r)


# ---- the masking function A ---------------------------------------------------


def bert_select_count(eligible, select_rate):
    """round(select_rate * eligible) positions, at least one when there is any."""
    if eligible == 0 or select_rate == 0:
        return 0
    return min(eligible, max(1, _js_round(select_rate * eligible)))


def bert_mask(tokens, mask_id, vocab_size, rng, select_rate, mask_prob, random_prob, protected_ids):
    """A(x): a uniform subset of the non-protected positions (partial Fisher-Yates), then
    per selected position in order one u: u < mask_prob -> [MASK]; u < mask_prob +
    random_prob -> a random word (never [MASK] or a protected id); else kept.
    Returns (x~, targets) with targets[i] the original token where selected, else None."""
    eligible = [i for i, t in enumerate(tokens) if t not in protected_ids]
    count = bert_select_count(len(eligible), select_rate)
    for k in range(count):
        j = k + rng.random_int(len(eligible) - k)
        eligible[k], eligible[j] = eligible[j], eligible[k]
    noised = list(tokens)
    targets = [None] * len(tokens)
    replacements = None  # built on first use, as the notebook does
    for i in sorted(eligible[:count]):
        targets[i] = tokens[i]
        u = rng.random()
        if u < mask_prob:
            noised[i] = mask_id
        elif u < mask_prob + random_prob:
            if replacements is None:
                replacements = [v for v in range(vocab_size) if v != mask_id and v not in protected_ids]
            noised[i] = replacements[rng.random_int(len(replacements))]
    return noised, targets


class BertBatch:
    """One padded batch, row-major flat lists as the notebook keeps them.

    ids, segments: [B*T]; lengths: [B]; masked_rows: [M] flat b*T + t of every
    selected position; masked_targets: [M]; nsp_labels: [B] (1 = IsNext) or None.
    """

    def __init__(self, rows, T, ids, segments, lengths, masked_rows, masked_targets, nsp_labels):
        self.rows, self.T = rows, T
        self.ids, self.segments, self.lengths = ids, segments, lengths
        self.masked_rows, self.masked_targets, self.nsp_labels = masked_rows, masked_targets, nsp_labels


def build_bert_batch(sequences, T, pad_id, mask_id, vocab_size, protected_ids, arm, rng_for):
    """buildBertBatch: each row (ids, segments, label) masked by A with rng_for(r), padded to T."""
    B = len(sequences)
    ids, segments, lengths = [pad_id] * (B * T), [0] * (B * T), []
    masked_rows, masked_targets = [], []
    for r, (row_ids, row_segments, _label) in enumerate(sequences):
        noised, targets = bert_mask(row_ids, mask_id, vocab_size, rng_for(r), arm["selectRate"],
                                    arm["maskProb"], arm["randomProb"], protected_ids)
        ids[r * T:r * T + len(noised)] = noised
        segments[r * T:r * T + len(row_segments)] = row_segments
        lengths.append(len(row_ids))
        for t, target in enumerate(targets):
            if target is not None:
                masked_rows.append(r * T + t)
                masked_targets.append(target)
    labels = [label for _, _, label in sequences] if arm["nsp"] else None
    return BertBatch(B, T, ids, segments, lengths, masked_rows, masked_targets, labels)


def own_token_batch(sequences, T, pad_id, protected_ids):
    """The distribution-shift probe: no [MASK] at all, every real non-protected position a target for its own word."""
    B = len(sequences)
    ids, segments, lengths = [pad_id] * (B * T), [0] * (B * T), []
    rows, targets = [], []
    for r, (row_ids, row_segments, _label) in enumerate(sequences):
        ids[r * T:r * T + len(row_ids)] = row_ids
        segments[r * T:r * T + len(row_segments)] = row_segments
        lengths.append(len(row_ids))
        for t, token in enumerate(row_ids):
            if token not in protected_ids:
                rows.append(r * T + t)
                targets.append(token)
    return BertBatch(B, T, ids, segments, lengths, rows, targets, None)


# ---- the sequences: NSP pairs (BERT) and full sentences (RoBERTa) -------------


class NspCorpus:
    """What pair sampling needs from a list of documents (each a list of sentences of ids)."""

    def __init__(self, docs):
        self.docs = docs
        self.pair_docs = [d for d, doc in enumerate(docs) if len(doc) >= 2]  # documents with an (A, next) pair
        self.total_sentences = sum(len(doc) for doc in docs)
        if sum(1 for doc in docs if doc) < 2 or not self.pair_docs:
            raise ValueError("NSP needs two documents with sentences and one with two sentences")

    def sentence_outside(self, exclude, rng):
        """A sentence uniform over every sentence not in document `exclude`: one draw, then a walk."""
        k = rng.random_int(self.total_sentences - len(self.docs[exclude]))
        for d, doc in enumerate(self.docs):
            if d == exclude:
                continue
            if k < len(doc):
                return d, k
            k -= len(doc)
        raise AssertionError("unreachable")


def truncated_pair_lengths(len_a, len_b, budget):
    """BERT's truncate_seq_pair: drop one token at a time from the longer side (B on a tie)."""
    while len_a + len_b > budget:
        if len_a > len_b:
            len_a -= 1
        else:
            len_b -= 1
    return len_a, len_b


def build_nsp_pair(corpus, cls_id, sep_id, max_length, rng, is_next_prob=0.5):
    """[CLS] A [SEP] B [SEP] with B A's successor w.p. is_next_prob, else a sentence of another document.
    Draw order: A's document, A's sentence, the label, then B if NotNext. Returns a dict like NspExample."""
    doc_index = corpus.pair_docs[rng.random_int(len(corpus.pair_docs))]
    doc = corpus.docs[doc_index]
    sentence_index = rng.random_int(len(doc) - 1)
    is_next = rng.random() < is_next_prob
    if is_next:
        b_doc, b_sentence = doc_index, sentence_index + 1
    else:
        b_doc, b_sentence = corpus.sentence_outside(doc_index, rng)
    a, b = doc[sentence_index], corpus.docs[b_doc][b_sentence]
    keep_a, keep_b = truncated_pair_lengths(len(a), len(b), max_length - 3)
    ids = [cls_id] + a[:keep_a] + [sep_id] + b[:keep_b] + [sep_id]
    return {
        "ids": ids,
        "segments": [0 if i < keep_a + 2 else 1 for i in range(len(ids))],  # e_A through A's [SEP], then e_B
        "label": 1 if is_next else 0,
        "key": [doc_index, sentence_index, b_doc, b_sentence],
    }


def build_full_sentences(docs, doc_index, sentence_index, cls_id, sep_id, max_length):
    """RoBERTa's FULL-SENTENCES within one document: [CLS] s_i s_i+1 ... [SEP], cut at max_length; one segment."""
    body, room = [], max_length - 2
    for sentence in docs[doc_index][sentence_index:]:
        if len(body) >= room:
            break
        body += sentence[:room - len(body)]
    ids = [cls_id] + body + [sep_id]
    return ids, [0] * len(ids)


# ---- the model (src/models/bert.ts) -------------------------------------------


class Bert(nn.Module):
    """A tiny BERT: the GPT's pre-norm blocks, every token attending to every real token.

    x_0    = E[ids] + P[0..T) + S[segments]      token, position and segment (e_A / e_B) embeddings
    x_L    = blocks(x_0), padding keys masked     bidirectional: no causal mask
    phi(x) = LN_f(x_L)
    MLM:  p(x_i | x~) = softmax(E phi(x~)_i + b)  at the selected positions, E tied to the input
    NSP:  p(c | x)    = softmax(W phi(x)_1 + c)   on the [CLS] position
    """

    def __init__(self, vocab_size, max_length, d_model, n_layers, n_heads, segment_types=2):
        super().__init__()
        V, T, d, S = vocab_size, max_length, d_model, segment_types
        self.d_model, self.n_layers, self.n_heads = d, n_layers, n_heads
        self.wte = nn.Parameter(torch.zeros(V, d))  # E [V, d]
        self.wpe = nn.Parameter(torch.zeros(T, d))  # P [T, d]
        self.wse = nn.Parameter(torch.zeros(S, d))  # S [segment types, d]: e_A, e_B
        self.h = nn.ModuleList([Block(d, n_heads) for _ in range(n_layers)])
        self.lnf = LayerNorm(d)
        self.mlm = nn.Module()
        self.mlm.b = nn.Parameter(torch.zeros(V))  # b [V], the MLM head's bias
        self.nsp = nn.Module()
        self.nsp.w = nn.Parameter(torch.zeros(d, 2))  # W [d, 2], column 1 = IsNext
        self.nsp.b = nn.Parameter(torch.zeros(2))  # c [2]

    def param_info(self):
        """(name, tensor, kind, residual) in the notebook's init order (bertParamInfo)."""
        info = []
        for name, p in notebook_names(self):
            if name in ("wte", "wpe", "wse"):
                kind = "embedding"
            elif name.endswith(".g"):
                kind = "gain"
            elif name.split(".")[-1].startswith("b"):
                kind = "bias"
            else:
                kind = "weight"
            info.append((name, p, kind, name.endswith(("attn.wo", "mlp.w2"))))
        return info

    def hidden(self, ids, segments, lengths):
        """phi(x~): ids, segments [B, T] int64, lengths [B] -> [B*T, d]."""
        B, T = ids.shape
        x = self.wte[ids] + self.wpe[:T] + self.wse[segments]  # [B, T, d]
        keys = torch.arange(T, device=ids.device)
        mask = torch.where(keys[None, :] < lengths[:, None], 0.0, MASKED)[:, None, None, :]  # [B, 1, 1, T]
        for block in self.h:
            x = block(x, mask)
        return self.lnf(x).reshape(B * T, -1)

    def mlm_logits(self, hidden, rows):
        """E phi_i + b at the flat rows b*T + t: hidden [B*T, d], rows [M] -> [M, V]."""
        return hidden[rows] @ self.wte.t() + self.mlm.b

    def nsp_logits(self, hidden, B, T):
        """W phi_[CLS] + c on each row's position 0: -> [B, 2]."""
        return hidden[torch.arange(B, device=hidden.device) * T] @ self.nsp.w + self.nsp.b

    def losses(self, x):
        """BERT's objective on a batch of tensors (BertBatch.tensors): mean MLM NLL (+ mean NSP NLL)."""
        hidden = self.hidden(x["ids"], x["segments"], x["lengths"])  # [B*T, d]
        mlm_logits = self.mlm_logits(hidden, x["masked_rows"])  # [M, V]
        out = {"mlm": F.cross_entropy(mlm_logits, x["masked_targets"]), "mlm_logits": mlm_logits}
        out["total"] = out["mlm"]
        if x["nsp_labels"] is not None:
            nsp_logits = self.nsp_logits(hidden, *x["ids"].shape)  # [B, 2]
            out["nsp"] = F.cross_entropy(nsp_logits, x["nsp_labels"])
            out["nsp_logits"] = nsp_logits
            out["total"] = out["mlm"] + out["nsp"]
        return out

    def forward(self, x):
        """The summed NLLs the training step divides (so that ranks can split a batch):
        MLM over the selected positions, NSP over the rows (0 without NSP)."""
        hidden = self.hidden(x["ids"], x["segments"], x["lengths"])  # [B*T, d]
        mlm = F.cross_entropy(self.mlm_logits(hidden, x["masked_rows"]), x["masked_targets"], reduction="sum")
        if x["nsp_labels"] is None:
            # RoBERTa trains no NSP head; touching it keeps DistributedDataParallel's gradients complete.
            return mlm, 0.0 * (self.nsp.w.sum() + self.nsp.b.sum())
        nsp = F.cross_entropy(self.nsp_logits(hidden, *x["ids"].shape), x["nsp_labels"], reduction="sum")
        return mlm, nsp


# ---- the data (src/train/data/bert.ts) -----------------------------------------

BERT_SPECIALS = ("[PAD]", "[CLS]", "[SEP]", "[MASK]")


def bert_batch_tensors(b, device, lo=0, hi=None):
    """Rows [lo, hi) of a BertBatch as int64 tensors, flat row indices rebased to the slice."""
    T = b.T
    hi = b.rows if hi is None else hi
    keep = [k for k, r in enumerate(b.masked_rows) if lo * T <= r < hi * T]
    L = lambda xs: torch.tensor(xs, dtype=torch.long, device=device)  # noqa: E731
    return {
        "ids": L(b.ids[lo * T:hi * T]).reshape(hi - lo, T),  # [B, T]
        "segments": L(b.segments[lo * T:hi * T]).reshape(hi - lo, T),  # [B, T]
        "lengths": L(b.lengths[lo:hi]),  # [B]
        "masked_rows": L([b.masked_rows[k] - lo * T for k in keep]),  # [M]
        "masked_targets": L([b.masked_targets[k] for k in keep]),  # [M]
        "nsp_labels": L(b.nsp_labels[lo:hi]) if b.nsp_labels is not None else None,  # [B]
    }


# ---- the task (src/train/tasks/bert.ts) -----------------------------------------

BERT_EVAL_BATCHES = 4  # the held-out metrics use this many batches' worth of fixed sequences, as one batch


class BertTask:
    """Masked language modelling (+ NSP for BERT-style arms). Every arm builds its own
    rows from the step's shared sentence pairs and masks them its way: a fixed mask
    per sequence (static, BERT) or a fresh one each time (dynamic, RoBERTa)."""

    divergence = "stop"  # any arm that blows up stops the run
    reference_arm = 0

    def __init__(self, run, ctx):
        self.run, self.ctx = run, ctx
        m = run["model"]
        if run["data"]["kind"] != "corpus":
            sys.exit("The BERT demos train on a corpus with document and sentence boundaries.")
        corpus = load_corpus_file(run["data"], ctx.data_path)
        self.tokenizer = build_word_tokenizer(corpus_text(corpus, "train"), m["wordVocab"], BERT_SPECIALS)
        vocab = self.tokenizer.vocab
        self.pad, self.cls, self.sep, self.mask = (vocab.index(s) for s in BERT_SPECIALS)
        self.vocab_size = len(vocab)
        # <unk> is protected too: never selected, never drawn as a random word.
        self.protected = {self.pad, self.cls, self.sep, 0}
        self.T = m["maxLength"]
        train = tokenize_documents(corpus, "train", self.tokenizer)
        self.held_docs = tokenize_documents(corpus, "heldOut", self.tokenizer)
        n = run.get("trainDocuments")
        self.train_docs = train if n is None else train[:n]
        self.train_corpus = NspCorpus(self.train_docs)
        self.held_corpus = NspCorpus(self.held_docs)
        self.batch_rng = Rng(seed_for(run["seed"], "data"))
        eval_rng = Rng(seed_for(run["seed"], "eval"))
        self.eval_pairs = [self.draw_pair(self.held_corpus, eval_rng)
                           for _ in range(BERT_EVAL_BATCHES * run["batchSize"])]
        self.arm_state = []  # per arm, in arm order: its dynamic-mask stream and held-out batches
        self.ref_tokens = 0

    def draw_pair(self, corpus, rng):
        return build_nsp_pair(corpus, self.cls, self.sep, self.T, rng)

    def row_for(self, spec, docs, pair):
        """(ids, segments, label) and the key of the text it came from (static masking seeds its mask with it)."""
        if spec["nsp"]:
            return (pair["ids"], pair["segments"], pair["label"]), pair["key"]
        d, s = pair["key"][0], pair["key"][1]
        ids, segments = build_full_sentences(docs, d, s, self.cls, self.sep, self.T)
        return (ids, segments, pair["label"]), [d, s]

    def batch(self, spec, rows, rng_for):
        return build_bert_batch(rows, self.T, self.pad, self.mask, self.vocab_size, self.protected, spec, rng_for)

    def make_model(self, spec):
        m, seed = self.run["model"], self.run["seed"]
        model = Bert(self.vocab_size, self.T, m["dModel"], m["nLayers"], m["nHeads"])
        # Same init stream for every arm: the arms differ only in what their spec changes.
        init_params(model.param_info(), m["dModel"], m["nLayers"], m["nHeads"], Rng(seed_for(seed, "init")),
                    "gpt2", exact=self.ctx.exact_init)
        rows = [self.row_for(spec, self.held_docs, p)[0] for p in self.eval_pairs]
        eval_mask_rng = Rng(seed_for(seed, "evalNoise"))
        masked = self.batch(spec, rows, lambda _r: eval_mask_rng)
        own = own_token_batch(rows, self.T, self.pad, self.protected)
        device = self.ctx.device
        self.arm_state.append({
            "mask_rng": Rng(seed_for(seed, "noise")),
            "masked": bert_batch_tensors(masked, device),
            "own": bert_batch_tensors(own, device),
        })
        return model

    def draw_batch(self):
        """The step's sentence pairs (each arm builds and masks its own rows from them)."""
        self.ref_tokens = 0
        return [self.draw_pair(self.train_corpus, self.batch_rng) for _ in range(self.run["batchSize"])]

    def arm_loss(self, arm, model, pairs):
        """(loss to differentiate, the batch's loss for the curve, real tokens, {mlm, nsp})."""
        spec, seed = arm.spec, self.run["seed"]
        keyed = [self.row_for(spec, self.train_docs, p) for p in pairs]
        if spec["dynamicMasking"]:
            mask_rng = self.arm_state[arm.index]["mask_rng"]
            rng_for = lambda _r: mask_rng  # noqa: E731
        else:  # static: the mask is a function of the sequence, the same every time it comes round
            rng_for = lambda r: Rng(seed_for(seed, "staticMask", *keyed[r][1]))  # noqa: E731
        b = self.batch(spec, [row for row, _ in keyed], rng_for)
        lo, hi = self.ctx.shard(b.rows)
        mlm_sum, nsp_sum = model(bert_batch_tensors(b, self.ctx.device, lo, hi))
        # Each rank's share of the global means; DDP averages gradients over ranks, hence * world.
        mlm, nsp = mlm_sum / len(b.masked_rows), nsp_sum / b.rows
        local = mlm + nsp
        tokens = sum(b.lengths)
        if arm.index == 0:
            self.ref_tokens = tokens
        parts = {"mlm": self.ctx.all_sum(mlm.detach())}
        if spec["nsp"]:
            parts["nsp"] = self.ctx.all_sum(nsp.detach())
        return local * self.ctx.world, self.ctx.all_sum(local.detach()), tokens, parts

    def arm_rng_states(self):
        """For a checkpoint: where each arm's dynamic-mask stream stands."""
        return [dict(st["mask_rng"].__dict__) for st in self.arm_state]

    def load_arm_rng_states(self, states):
        for st, state in zip(self.arm_state, states):
            st["mask_rng"].__dict__.update(state)

    def step_tokens(self):
        """Arm 0's real tokens this step (the trainer's count)."""
        return self.ref_tokens

    @torch.no_grad()
    def evaluate(self, arm):
        """MLM loss and accuracy on the selected positions, NSP loss and accuracy (BERT-style arms),
        and the own-token accuracy and NLL on input without any [MASK] (the distribution-shift probe)."""
        model, st = arm.model, self.arm_state[arm.index]
        x, own = st["masked"], st["own"]
        out = model.losses(x)
        own_logits = model.mlm_logits(model.hidden(own["ids"], own["segments"], own["lengths"]), own["masked_rows"])
        accuracy = lambda logits, labels: (logits.argmax(-1) == labels).float().mean()  # noqa: E731
        metrics = {
            "total": out["total"],
            "mlm": out["mlm"],
            "mlmAcc": accuracy(out["mlm_logits"], x["masked_targets"]),
            "ownAcc": accuracy(own_logits, own["masked_targets"]),
            "ownNll": F.cross_entropy(own_logits, own["masked_targets"]),
        }
        if "nsp" in out:
            metrics["nsp"] = out["nsp"]
            metrics["nspAcc"] = accuracy(out["nsp_logits"], x["nsp_labels"])
        return {k: float(v) for k, v in metrics.items()}

    @staticmethod
    def scaled_model(m, preset):
        """The run's model with a --scale preset's depth and width (sequences up to 512 tokens, as BERT's)."""
        return dict(m, nLayers=preset["nLayers"], dModel=preset["dModel"], nHeads=preset["nHeads"],
                    maxLength=min(512, preset["contextLength"]))


TASKS["bert"] = BertTask
