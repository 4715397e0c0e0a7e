# ---------------------------------------------------------------------------
# gpt.py: the decoder-only task. The data (src/train/data/gpt.ts,
# src/core/batch.ts; the tokenizers are in text.py), the model
# (src/models/gpt.ts) and the task the training loop drives
# (src/train/tasks/gpt.ts).
# ---------------------------------------------------------------------------


# ---- data (the tokenizers and corpus_text are in text.py) --------------------


def load_texts(source, data_path):
    """(train, heldOut) texts of a DataSource: the user's own text, or the corpus sidecar file."""
    if source["kind"] == "text":
        return source["train"], source["heldOut"]
    corpus = load_corpus_file(source, data_path)
    return corpus_text(corpus, "train"), corpus_text(corpus, "heldOut")


def sample_batch(ids, batch_size, T, rng):
    """batch_size windows of T + 1 tokens at uniformly random starts (src/core/batch.ts).

    ids: int64 [N] -> (inputs [B, T], targets [B, T]), targets one token ahead.
    """
    starts = torch.tensor([rng.random_int(len(ids) - T) for _ in range(batch_size)])  # [B]
    windows = ids[starts[:, None] + torch.arange(T + 1)]  # [B, T + 1]
    return windows[:, :-1], windows[:, 1:]


# ---- the model (src/models/gpt.ts) --------------------------------------------


class GPT(nn.Module):
    """The tiny GPT of the decoder-only page.

    x_0    = E[ids] + P[0..T)              token + learned position embeddings
    x_l+1  = Block(x_l), l = 0 .. L-1      pre-norm attention and MLP
    logits = LN_f(x_L) E^T                 the same E: tied input and output embedding
    """

    def __init__(self, vocab_size, context_length, d_model, n_layers, n_heads, folded=False):
        super().__init__()
        V, T, d = vocab_size, context_length, d_model
        self.n_layers, self.n_heads = n_layers, n_heads
        self.wte = nn.Parameter(torch.zeros(V, d))  # E [V, d]
        self.wpe = nn.Parameter(torch.zeros(T, d))  # P [T, d]
        self.h = nn.ModuleList(Block(d, n_heads, folded) for _ in range(n_layers))
        self.lnf = LayerNorm(d)
        # [T, T] additive causal mask: 0 where key j <= query i, MASKED above the diagonal
        self.register_buffer("mask", torch.triu(torch.full((T, T), MASKED), diagonal=1), persistent=False)

    def forward(self, ids):  # ids int64 [B, T] -> logits [B, T, V]
        T = ids.shape[1]
        x = self.wte[ids] + self.wpe[:T]  # [B, T, d]
        for block in self.h:
            x = block(x, self.mask[:T, :T])
        return self.lnf(x) @ self.wte.t()  # [B, T, V]

    def param_info(self):
        """(name, tensor, kind, residual) in the notebook's init order (gptParamInfo)."""
        info = [("wte", self.wte, "embedding", False), ("wpe", self.wpe, "embedding", False)]
        for i, b in enumerate(self.h):
            h = "h%d" % i
            info += [
                (h + ".ln1.g", b.ln1.g, "gain", False), (h + ".ln1.b", b.ln1.b, "bias", False),
                (h + ".attn.wqkv", b.attn.wqkv, "weight", False), (h + ".attn.bqkv", b.attn.bqkv, "bias", False),
                (h + ".attn.wo", b.attn.wo, "weight", True), (h + ".attn.bo", b.attn.bo, "bias", False),
                (h + ".ln2.g", b.ln2.g, "gain", False), (h + ".ln2.b", b.ln2.b, "bias", False),
                (h + ".mlp.w1", b.mlp.w1, "weight", False), (h + ".mlp.b1", b.mlp.b1, "bias", False),
                (h + ".mlp.w2", b.mlp.w2, "weight", True), (h + ".mlp.b2", b.mlp.b2, "bias", False),
            ]
        return info + [("lnf.g", self.lnf.g, "gain", False), ("lnf.b", self.lnf.b, "bias", False)]


def next_token_nll_sum(model, ids, targets):
    """Summed -log p(targets | ids) over all B*T positions (nats)."""
    logits = model(ids)  # [B, T, V]
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="sum")


# ---- the task (src/train/tasks/gpt.ts) -----------------------------------------

EVAL_BATCHES = 4  # held-out loss: the mean over this many fixed batches from the eval stream


class GptTask:
    """Next-token prediction: every arm trains on the same batches, drawn once per step."""

    divergence = "drop"  # a blown-up arm other than the reference is dropped; the race goes on

    def __init__(self, run, ctx):
        self.run, self.ctx = run, ctx
        m = run["model"]
        train_text, held_text = load_texts(run["data"], ctx.data_path)
        if m["tokenizer"] == "char":
            self.tokenizer = build_char_tokenizer(train_text)
        else:
            self.tokenizer = build_word_tokenizer(train_text, m["wordVocab"])
        self.train_ids = torch.tensor(self.tokenizer.encode(train_text), dtype=torch.long)  # [N]
        self.held_ids = torch.tensor(self.tokenizer.encode(held_text), dtype=torch.long)  # [M]
        self.T = m["contextLength"]
        for name, ids in (("training", self.train_ids), ("held-out", self.held_ids)):
            if len(ids) < self.T + 1:
                sys.exit("The %s text has %d tokens; a window needs %d." % (name, len(ids), self.T + 1))
        self.vocab_size = len(self.tokenizer.vocab)
        self.reference_arm = run.get("referenceArm", 0)
        self.batch_rng = Rng(seed_for(run["seed"], "data"))
        eval_rng = Rng(seed_for(run["seed"], "eval"))
        B = run["batchSize"]
        self.eval_batches = [
            tuple(t.to(ctx.device) for t in sample_batch(self.held_ids, B, self.T, eval_rng))
            for _ in range(EVAL_BATCHES)
        ]

    def make_model(self, arm_spec):
        m = self.run["model"]
        init = arm_spec.get("init", "gpt2")
        model = GPT(self.vocab_size, self.T, m["dModel"], m["nLayers"], m["nHeads"], folded=init == "t5")
        # every arm draws from the same stream: arms with the same scheme start identical
        rng = Rng(seed_for(self.run["seed"], "init"))
        init_params(model.param_info(), m["dModel"], m["nLayers"], m["nHeads"], rng, init, exact=self.ctx.exact_init)
        return model

    def draw_batch(self):
        ids, targets = sample_batch(self.train_ids, self.run["batchSize"], self.T, self.batch_rng)
        return ids.to(self.ctx.device), targets.to(self.ctx.device)

    def rows_for(self, arm):
        """Rows of the shared batch this arm trains on: batch_size_at(its tokens seen) with a ramp, else all."""
        B = self.run["batchSize"]
        ramp = arm.spec.get("batchRamp")
        return batch_size_at(arm.tokens, ramp["start"], B, ramp["rampTokens"]) if ramp else B

    def arm_loss(self, arm, model, batch):
        """This rank's share of the arm's mean loss, weighted so that the DDP-averaged gradient is the global mean.

        Returns (loss to differentiate, the global mean loss for the curve, tokens, metrics).
        """
        ids, targets = batch
        rows = self.rows_for(arm)
        lo, hi = self.ctx.shard(rows)
        n = rows * self.T
        if hi > lo:
            local = next_token_nll_sum(model, ids[lo:hi], targets[lo:hi])
        else:  # no rows for this rank: a zero loss that still touches every parameter (DDP needs all grads)
            local = next_token_nll_sum(model, ids[:1], targets[:1]) * 0.0
        train_loss = local * (self.ctx.world / n)
        return train_loss, self.ctx.all_sum(local.detach()) / n, n, {"rows": rows}

    def step_tokens(self):
        return self.run["batchSize"] * self.T

    @torch.no_grad()
    def evaluate(self, arm):
        """Held-out loss (mean over the eval batches, with the weights the arm computes with) and weight norms."""
        model = arm.model
        total = sum(next_token_nll_sum(model, i, t) / t.numel() for i, t in self.eval_batches) / len(self.eval_batches)
        named = arm.master_named()
        matrices = [p for n, p in named if param_group(n) == "matrix"]
        return {
            "total": float(total),
            "weightNorm": float(global_norm([p for _, p in named])),
            "matrixNorm": float(global_norm(matrices)),
        }

    @staticmethod
    def scaled_model(m, preset):
        """The run's model with a --scale preset's shape."""
        return dict(m, nLayers=preset["nLayers"], dModel=preset["dModel"], nHeads=preset["nHeads"],
                    contextLength=preset["contextLength"])


TASKS["gpt"] = GptTask
