# ---------------------------------------------------------------------------
# main.py: the training loop of src/train/engine/engine.ts and the worker's
# evaluation cadence, with the command line, JSON-lines output, checkpoints,
# real mixed precision on CUDA and DistributedDataParallel under torchrun.
#
# A task (TASKS[run["task"]]) gives: make_model(arm_spec) -> nn.Module with its
# init drawn; draw_batch() -> the step's shared batch; arm_loss(arm, model,
# batch) -> (loss to differentiate, global loss for the curve, tokens, metrics);
# step_tokens(); evaluate(arm) -> metrics; divergence ('drop' or 'stop');
# reference_arm; scaled_model(model_spec, preset).
# ---------------------------------------------------------------------------

# --scale presets: the same recipe, deeper and wider, up to GPT-2 small's shape.
# tokens: the default token budget (about 20 tokens per parameter).
SCALE_PRESETS = {
    "small": dict(nLayers=4, dModel=256, nHeads=4, contextLength=128, tokens=80_000_000),
    "medium": dict(nLayers=6, dModel=384, nHeads=6, contextLength=256, tokens=250_000_000),
    "gpt2-small": dict(nLayers=12, dModel=768, nHeads=12, contextLength=1024, tokens=2_500_000_000),
}
DIVERGED_FACTOR = 3  # a loss above 3x the untrained model's held-out loss counts as diverged


class Context:
    """Where and how this process trains: device, precision, and its rank in a torchrun job."""

    def __init__(self, args):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        dev = args.device
        if dev == "cuda":
            dev = "cuda:%d" % self.local_rank
        self.device = torch.device(dev)
        if self.world > 1:
            import torch.distributed as dist

            if self.device.type == "cuda":
                torch.cuda.set_device(self.device)
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")
        self.dtype = args.dtype
        if self.dtype == "float16" and self.device.type != "cuda":
            sys.exit("--dtype float16 (autocast with GradScaler) needs --device cuda; on %s use bfloat16, "
                     "or the run's simulated FP16 arms (the mixed-precision page)." % self.device.type)
        self.data_path = args.data
        self.exact_init = args.scale is None

    def shard(self, rows):
        """This rank's rows [lo, hi) of a batch of `rows`: contiguous, as even as possible."""
        return rows * self.rank // self.world, rows * (self.rank + 1) // self.world

    def all_sum(self, t):
        if self.world > 1:
            import torch.distributed as dist

            t = t.clone()
            dist.all_reduce(t)
        return t


class Arm:
    """One model of the run with its optimiser, schedule, clipping and (simulated or real) precision."""

    def __init__(self, index, spec, model, ctx):
        self.index, self.spec, self.ctx = index, spec, ctx
        self.model = model.to(ctx.device)
        self.tokens = 0
        self.start_loss = None
        self.dropped = False
        self.names = [n for n, _ in notebook_names(self.model)]
        self.precision = spec.get("precision")
        p = self.precision or {}
        self.multiplier = float(p.get("lossMultiplier", 1.0))
        self.scaler = LossScaler(p["lossScale"]) if p.get("lossScale") else None
        self.fp16_weights = bool(p.get("fp16Weights"))
        # Mixed precision keeps FP32 master weights for the update; the model computes with their FP16 rounding.
        self.master = None
        if self.fp16_weights and p.get("masterWeights"):
            self.master = [nn.Parameter(t.detach().clone()) for t in self.model.parameters()]
        targets = self.master if self.master is not None else list(self.model.parameters())
        self.optimizer = make_optimizer(list(zip(self.names, targets)), spec["optimizer"])
        if self.fp16_weights:
            self.round_weights()
        # Real mixed precision (--dtype float16 on CUDA) for arms without a simulated one.
        # (bfloat16 autocast also on CPU; the simulated arms keep their own FP16 rounding).
        self.amp = None
        if ctx.dtype != "float32" and not self.precision:
            self.amp = torch.float16 if ctx.dtype == "float16" else torch.bfloat16
        self.grad_scaler = torch.cuda.amp.GradScaler() if self.amp == torch.float16 else None
        self.ddp = self.model
        if ctx.world > 1:
            from torch.nn.parallel import DistributedDataParallel

            ids = [ctx.device.index] if ctx.device.type == "cuda" else None
            self.ddp = DistributedDataParallel(self.model, device_ids=ids)

    def master_named(self):
        """The weights the update goes into: the FP32 master copy when there is one."""
        params = self.master if self.master is not None else list(self.model.parameters())
        return list(zip(self.names, params))

    @torch.no_grad()
    def round_weights(self):
        """FP16 weights: the model's tensors become the FP16 rounding of the master copy (or of themselves)."""
        source = self.master if self.master is not None else list(self.model.parameters())
        for p, s in zip(self.model.parameters(), source):
            p.copy_(round_fp16(s))

    def step(self, task, batch, lr, clip):
        """One update: loss, gradients, (scaled, rounded) norm, clip factor, optimiser. Returns its metrics."""
        params = list(self.model.parameters())
        set_lr(self.optimizer, lr)
        scale = self.scaler.scale if self.scaler else 1.0
        factor = scale * self.multiplier
        autocast = torch.autocast(self.ctx.device.type, dtype=self.amp) if self.amp is not None else nullcontext()
        with autocast:
            train_loss, loss, tokens, metrics = task.arm_loss(self, self.ddp, batch)
        if self.grad_scaler is not None:  # real FP16 on CUDA: PyTorch's own GradScaler
            self.grad_scaler.scale(train_loss).backward()
            self.grad_scaler.unscale_(self.optimizer)
        else:
            (train_loss * factor).backward()
        with torch.no_grad():
            grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
            if self.precision and self.precision.get("fp16Grads"):
                grads = [round_fp16(g) for g in grads]  # below 2^-24 -> 0, from 65520 up -> inf
            scaled_norm = global_norm(grads)
            grad_norm = scaled_norm / factor  # the true gradient's norm, as the notebook reports it
            skipped = self.scaler.update(not bool(torch.isfinite(scaled_norm))) if self.scaler else False
            if not skipped:
                # unscaling and clipping are one factor: clip(g / s) = g min(1, c / |g / s|) / s
                f = clip_scale(scaled_norm / scale, clip) / scale if clip is not None else torch.tensor(1.0 / scale)
                targets = self.master if self.master is not None else params
                for t, g in zip(targets, grads):
                    t.grad = g * f.to(g.device)
                if self.grad_scaler is not None:
                    self.grad_scaler.step(self.optimizer)
                    self.grad_scaler.update()
                else:
                    self.optimizer.step()
                if self.fp16_weights:
                    self.round_weights()
            self.optimizer.zero_grad(set_to_none=True)
            for p in params:
                p.grad = None
        self.tokens += tokens
        metrics = dict(total=float(loss), gradNorm=float(grad_norm), lr=lr, **metrics, tokens=self.tokens)
        if self.precision:
            metrics.update(lossScale=scale, skipped=1 if skipped else 0)
        return metrics

    def state_dict(self):
        return dict(
            model=self.model.state_dict(), optimizer=self.optimizer.state_dict(),
            master=[t.detach() for t in self.master] if self.master is not None else None,
            scaler=self.scaler.state_dict() if self.scaler else None,
            tokens=self.tokens, start_loss=self.start_loss, dropped=self.dropped,
        )

    def load_state_dict(self, d):
        self.model.load_state_dict(d["model"])
        if self.master is not None:
            with torch.no_grad():
                for t, s in zip(self.master, d["master"]):
                    t.copy_(s)
        self.optimizer.load_state_dict(d["optimizer"])
        if self.scaler:
            self.scaler.load_state_dict(d["scaler"])
        self.tokens, self.start_loss, self.dropped = d["tokens"], d["start_loss"], d["dropped"]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Train the notebook's run (" + RUN_SPEC["task"] + ") in PyTorch.")
    ap.add_argument("--config", help="a run spec JSON (the notebook's 'run.json', or a trainer's 'Download config' file); "
                    "default: the one in this file")
    ap.add_argument("--data", help="the corpus JSON (default: next to this script)")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda", "mps"])
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"],
                    help="autocast: float16 with GradScaler (CUDA), bfloat16 (CUDA, CPU); "
                         "the run's simulated FP16 arms run on any device")
    ap.add_argument("--compile", action="store_true", help="torch.compile each model (PyTorch 2)")
    ap.add_argument("--steps", type=int, help="optimiser steps (default 300, or the --scale preset's token budget)")
    ap.add_argument("--scale", choices=sorted(SCALE_PRESETS), help="deepen and widen the recipe")
    ap.add_argument("--tokens", type=float, help="token budget for --scale (default: the preset's)")
    ap.add_argument("--batch-size", type=int, help="rows per global batch (default: the run's)")
    ap.add_argument("--eval-every", type=int, help="steps between held-out evaluations (default: the run's)")
    ap.add_argument("--save", help="write a checkpoint here at the end (and every --save-every steps)")
    ap.add_argument("--save-every", type=int, default=0)
    ap.add_argument("--resume", help="continue from a checkpoint written by --save")
    ap.add_argument("--out", help="also write the JSON lines to this file")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run = RUN_SPEC
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            run = json.load(f)
        # The trainer card's "Download config" wraps the spec with its replay link and pinned runs.
        if isinstance(run, dict) and run.get("format") == "llm-notebook-run":
            run = run["run"]
    run = json.loads(json.dumps(run))  # a private copy
    torch.manual_seed(0)  # nothing random comes from torch in the exact path; this pins the rest
    if args.batch_size:
        run["batchSize"] = args.batch_size
    ctx = Context(args)
    task_class = TASKS.get(run["task"])
    if task_class is None:
        sys.exit("This script cannot train a %r run." % (run["task"],))
    steps = args.steps if args.steps is not None else 300
    if args.scale:
        preset = SCALE_PRESETS[args.scale]
        run["model"] = task_class.scaled_model(run["model"], preset)
        if args.steps is None:
            per_step = run["batchSize"] * preset["contextLength"]
            steps = int(math.ceil((args.tokens or preset["tokens"]) / per_step))
    eval_every = args.eval_every or run["evalEvery"]
    task = task_class(run, ctx)
    arms = [Arm(i, spec, task.make_model(spec), ctx) for i, spec in enumerate(run["arms"])]
    if args.compile:
        if not hasattr(torch, "compile"):
            sys.exit("--compile needs PyTorch 2 or later.")
        for a in arms:
            a.ddp = torch.compile(a.ddp)
    ref = task.reference_arm
    out = open(args.out, "w", encoding="utf-8") if args.out and ctx.rank == 0 else None

    def emit(kind, point):
        if ctx.rank != 0:
            return
        line = json.dumps(dict(kind=kind, **point), allow_nan=False)
        print(line, flush=True)
        if out:
            out.write(line + "\n")
            out.flush()

    def evaluate(step):
        nan = {"total": None}
        metrics = [nan if a.dropped else {k: finite_or_none(v) for k, v in task.evaluate(a).items()} for a in arms]
        point = dict(step=step, heldOutLoss=metrics[ref]["total"], arms=metrics)
        emit("eval", point)
        return point

    n_params = sum(p.numel() for p in arms[0].model.parameters())
    emit("start", dict(task=run["task"], world=ctx.world, device=str(ctx.device), dtype=ctx.dtype,
                       params=n_params, steps=steps, arms=[a["label"] for a in run["arms"]]))
    step, tokens_seen = 0, 0
    if args.resume:
        ck = torch.load(args.resume, map_location=ctx.device)
        for a, d in zip(arms, ck["arms"]):
            a.load_state_dict(d)
        step, tokens_seen = ck["step"], ck["tokensSeen"]
        task.batch_rng.__dict__.update(ck["data_rng"])
        if ck.get("arm_rngs") is not None:  # the arms' own noise streams (BERT's dynamic masks, denoising)
            task.load_arm_rng_states(ck["arm_rngs"])
    else:
        first = evaluate(0)
        for a, m in zip(arms, first["arms"]):
            a.start_loss = m["total"]

    def save(path):
        if ctx.rank == 0:
            torch.save(dict(step=step, tokensSeen=tokens_seen, run=run, data_rng=dict(task.batch_rng.__dict__),
                            arm_rngs=task.arm_rng_states() if hasattr(task, "arm_rng_states") else None,
                            arms=[a.state_dict() for a in arms]), path)

    started = time.time()
    while step < steps:
        t0 = time.time()
        batch = task.draw_batch()
        metrics = []
        for a in arms:
            if a.dropped:
                metrics.append({"total": None, "gradNorm": None})
                continue
            lr = lr_at(step, a.spec["schedule"])
            metrics.append(a.step(task, batch, lr, a.spec.get("clipNorm")))
        step_lr = lr_at(step, arms[ref].spec["schedule"])
        step += 1
        tokens_seen += task.step_tokens()
        ms = (time.time() - t0) * 1000
        point = dict(step=step, lr=step_lr, loss=metrics[ref]["total"], gradNorm=metrics[ref]["gradNorm"],
                     tokensSeen=tokens_seen, tokensPerSecond=tokens_seen / max(1e-9, time.time() - started),
                     stepMs=ms, arms=[{k: finite_or_none(v) if v is not None else None for k, v in m.items()}
                                      for m in metrics])
        point["loss"], point["gradNorm"] = point["arms"][ref]["total"], point["arms"][ref]["gradNorm"]
        emit("step", point)
        # divergence (src/train/engine/divergence.ts): not finite, or 3x the untrained held-out loss
        blown = []
        for a, m in zip(arms, metrics):
            loss = m["total"]
            if not a.dropped and (loss is None or not math.isfinite(loss) or
                                  (a.start_loss is not None and loss > DIVERGED_FACTOR * a.start_loss)):
                blown.append(a)
        if blown and (task.divergence == "stop" or arms[ref] in blown):
            log("Training diverged at step %d." % step)
            break
        for a in blown:
            a.dropped = True
        if step % eval_every == 0:
            evaluate(step)
        if args.save and args.save_every and step % args.save_every == 0:
            save(args.save)
    if args.save:
        save(args.save)
    if out:
        out.close()
    if ctx.world > 1:
        import torch.distributed as dist

        dist.destroy_process_group()
