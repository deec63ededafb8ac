using System.Diagnostics;
using Geneformer.Data.Loading;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Learning;
using Geneformer.Training.Metrics;
using Geneformer.Training.Optim;
using Geneformer.Training.Parallel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training;

/// <summary>
/// The pretraining loop, the same on every rank: read a global batch's share, forward and backward each micro
/// batch with the loss normalised by the masked-token count of the whole global batch, sum gradients over
/// ranks, clip, step AdamW, log, evaluate, checkpoint. Read it top to bottom.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainingConfig config;
    private readonly TrainingData data;
    private readonly CheckpointStore store;
    private readonly ICollectives collectives;
    private readonly TextWriter log;
    private readonly StopSignal stop;
    private readonly Device device;
    private readonly BertForMaskedLM model;
    private readonly AdamW optimizer;
    private readonly GradientBuckets gradients;
    private readonly StepUpload upload;
    private readonly LrSchedule schedule;
    private readonly BatchGeometry geometry;
    private readonly MetricsWriter metrics;
    private readonly int maxLength;
    private readonly MicroBatching batching;
    private readonly ITrainingObserver observer;
    private readonly ICheckpointCommitter? committer;
    private BackgroundCheckpoint? pendingCheckpoint;

    public BertForMaskedLM Model => model;

    /// <summary>Where to write every step's micro batches and the starting weights, for a replay in another trainer; null writes none.</summary>
    public BatchDump? Dump { get; init; }

    /// <summary>A model folder whose weights a fresh run starts from (continued pretraining), with a fresh optimizer and schedule; null initialises.</summary>
    public string? InitialWeights { get; init; }

    /// <summary>Rank 0's progress line on a terminal (also the log passed in); null prints each logged step as a plain line.</summary>
    public ConsoleProgress? Progress { get; init; }

    public Trainer(TrainingConfig config, BertConfig modelConfig, TrainingData data, CheckpointStore store, ICollectives collectives, TextWriter log, StopSignal stop, string? metricsPath = null,
        ITrainingObserver? observer = null, ICheckpointCommitter? committer = null)
    {
        config.Validate("training config");
        if (data.Vocabulary.Size > modelConfig.VocabSize)
            throw new InvalidDataException($"the corpus vocabulary has {data.Vocabulary.Size} tokens but the model's vocab_size is {modelConfig.VocabSize}; use a model config with vocab_size >= {data.Vocabulary.Size}");
        this.config = config;
        this.data = data;
        this.store = store;
        this.collectives = collectives;
        this.log = TextWriter.Synchronized(log);
        this.stop = stop;
        this.observer = observer ?? NullObserver.Instance;
        this.committer = committer;
        TorchRuntime.SetThreads(config.Threads);
        device = TorchRuntime.ResolveDevice(config.Device);
        if (config.Deterministic) TorchRuntime.SetDeterministic(true);
        var precision = config.Precision is { } p ? ComputePrecision.Parse(p) : ComputePrecision.DefaultFor(device);
        manual_seed(config.Seed);
        model = new BertForMaskedLM(modelConfig, precision);
        model.to(device);
        optimizer = OptimizerFactory.Create(model, config);
        gradients = new GradientBuckets(model.parameters(), collectives);
        upload = new StepUpload(device);
        schedule = LrSchedule.From(config);
        geometry = BatchGeometry.FromGlobal(config.GlobalBatch, config.MicroBatch, collectives.WorldSize);
        maxLength = config.MaxLengthFor(modelConfig);
        batching = config.Batching(maxLength);
        metrics = new MetricsWriter(collectives.Rank == 0 ? metricsPath : null, collectives.Rank == 0 ? this.log : TextWriter.Null);
    }

    public TrainResult Run(ResumeFrom resume)
    {
        observer.OnPhase(TrainingPhase.Loading);
        var reference = TokenStatistics.Measure(data.Train, data.Vocabulary, maxLength, config.ReferenceCells);
        Info($"reference losses from {reference.Cells:N0} training cells ({reference.Tokens:N0} gene tokens, {reference.DistinctTokens:N0} distinct genes): " +
             $"unigram {reference.UnigramEntropy:0.000} nats (each masked gene from its frequency alone), position-only {reference.PositionEntropy:0.000} " +
             $"(from its frequency in its {reference.BandWidth}-token rank band); a model that reads the cell's other genes goes below both");
        var state = Restore(resume, reference);
        if (Dump is not null && state.Step == 0 && collectives.Rank == 0) Dump.WriteStart(model, config);
        var masking = config.Masking();
        var order = new GlobalSampleOrder(data.Train.Count, (ulong)config.Seed);
        var collator = new MicroBatchCollator(data.Train, masking, data.Vocabulary, (ulong)config.Seed, maxLength);
        using var loader = new PrefetchingLoader(order, collator, geometry, collectives.Rank, state.Step, batching, config.PrefetchSteps);
        Info($"training {data.Description} on {device} ({model.Precision.ComputeType}{(config.Deterministic ? ", deterministic algorithms" : device.type == DeviceType.CUDA ? ", CUDA kernels not deterministic: a resume matches to the last bits, set deterministic: true to repeat bit for bit" : "")}), world size {collectives.WorldSize} ({collectives.Backend}), " +
             $"global batch {geometry.GlobalBatch} = {geometry.MicroBatch} x {geometry.Accumulation} x {geometry.WorldSize}, micro batches {batching}, steps {state.Step} -> {config.MaxSteps}");

        OpenTensorBoard(state.Step);
        metrics.Write(new Dictionary<string, object?>
        {
            ["step"] = state.Step, ["unigram_entropy"] = reference.UnigramEntropy, ["position_entropy"] = reference.PositionEntropy,
            ["reference_cells"] = reference.Cells, ["reference_tokens"] = reference.Tokens, ["reference_distinct_genes"] = reference.DistinctTokens,
        }, [], toTensorBoard: state.Step == 0); // a resumed run's TensorBoard already holds its start step
        var watch = new LearningWatch(reference.UnigramEntropy, config.WarmupSteps, config.LearningWatchSteps);

        model.train();
        observer.OnPhase(TrainingPhase.Training);
        double? lastLoss = state.TrainLoss;
        long? validationStep = null;
        using var stepLoss = zeros(1, ScalarType.Float32, device);
        while (state.Step < config.MaxSteps)
        {
            var clock = Stopwatch.StartNew();
            var batches = loader.Next();
            Dump?.Write(state.Step + 1, batches);
            var waited = clock.Elapsed.TotalSeconds;

            var local = new StepAgreement(batches.MaskedTokens, batches.RealTokens, batches.ComputedTokens, FlopsOf(batches), stop.Requested ? 1 : 0,
                stop.TakeCheckpointRequest() ? 1 : 0, pendingCheckpoint is { CommitStarted: false, Written: true } ? 1 : 0);
            var agreed = local.SumOver(collectives);
            AdvancePendingCheckpoint(agreed.PartsWritten);

            var lr = schedule.At(state.Step);
            var globalMasked = Math.Max(1.0, agreed.MaskedTokens);
            var done = TrainStep(state.Step, batches, lr, globalMasked, stepLoss);
            state = state.AfterStep(geometry.GlobalBatch, order.CellCount, (long)agreed.RealTokens);
            var stopping = stop.ShouldStopAfter(state.Step, requestedOnAnyRank: agreed.StopRequests > 0) && state.Step < config.MaxSteps;
            double? loss = null;
            if (state.Step % config.LogEvery == 0 || state.Step == config.MaxSteps || stopping)
            {
                loss = lastLoss = GlobalLoss(stepLoss, globalMasked);
                state = state with { TrainLoss = lastLoss };
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var times = new StepTimes(seconds, waited, done.ComputeSeconds, done.CommunicationSeconds);
            Report(state, loss, lastLoss, lr, done.GradNorm, times, agreed, local, batches, reference, validationStep);
            if (loss is { } logged && watch.Observe(state.Step, logged) is { } warning)
            {
                Info($"warning at step {state.Step}: {warning}");
                metrics.Write(new Dictionary<string, object?> { ["step"] = state.Step, ["warning"] = warning }, []);
            }

            if (data.Validation is not null && (state.Step % config.EvalEvery == 0 || state.Step == config.MaxSteps) && Validate(state) is { } validated)
                (state, validationStep) = (validated, state.Step);
            if (state.Step % config.CheckpointEvery == 0 || state.Step == config.MaxSteps || stopping || agreed.CheckpointRequests > 0)
            {
                // The last checkpoint, and the one before a requeue, are committed before the process goes on.
                var stall = SaveCheckpoint(state, inBackground: config.AsyncCheckpoint && !stopping && state.Step < config.MaxSteps);
                metrics.Write(new Dictionary<string, object?> { ["step"] = state.Step, ["checkpoint_stall_s"] = stall });
                metrics.Flush();
            }
            if (stopping)
            {
                observer.OnPhase(TrainingPhase.Stopped);
                Progress?.Finish();
                Info($"stopping after step {state.Step} ({stop.Reason}); checkpoint committed, exit {TrainerExit.Preempted} to requeue");
                return new TrainResult(TrainerExit.Preempted, state.Step, lastLoss, state.ValidationLoss, stop.Reason);
            }
        }
        observer.OnPhase(TrainingPhase.Stopped);
        Progress?.Finish();
        Info($"finished at step {state.Step}: loss {lastLoss:0.####}" + (state.ValidationLoss is { } v ? $", validation loss {v:0.####}" : ""));
        return new TrainResult(TrainerExit.Completed, state.Step, lastLoss, state.ValidationLoss, null);
    }

    /// <summary>What one optimizer step took: its gradient norm before clipping (NaN without clipping), and its compute and all-reduce time on this rank.</summary>
    private sealed record StepDone(double GradNorm, double ComputeSeconds, double CommunicationSeconds);

    /// <summary>
    /// One optimizer step at rate <paramref name="lr"/>: forward and backward of each micro batch (the loss summed over
    /// the step's masked tokens divided by the whole global batch's count), the gradient all-reduce, clipping, AdamW.
    /// The summed cross-entropy stays on the device in <paramref name="stepLoss"/>.
    /// </summary>
    private StepDone TrainStep(long step, StepBatches batches, double lr, double globalMasked, Tensor stepLoss)
    {
        var clock = Stopwatch.StartNew();
        OptimizerFactory.SetLearningRate(optimizer, lr);
        gradients.Zero();
        stepLoss.zero_();
        using (NewDisposeScope())
        {
            var onDevice = upload.Upload(batches.MicroBatches);
            for (var i = 0; i < onDevice.Count; i++)
            {
                DropoutSeeds.Apply(config.Seed, step, batches.MicroBatches[i].Chunk, device);
                ForwardBackward(onDevice[i], globalMasked, stepLoss);
            }
        }
        var computed = clock.Elapsed.TotalSeconds;
        gradients.AllReduce();
        var communicated = clock.Elapsed.TotalSeconds;
        var gradNorm = config.GradClip > 0 ? nn.utils.clip_grad_norm_(model.parameters(), config.GradClip) : double.NaN;
        optimizer.step();
        if (device.type == DeviceType.CUDA) cuda.synchronize(); // also what lets StepUpload reuse its pinned buffer next step
        return new StepDone(gradNorm, computed + clock.Elapsed.TotalSeconds - communicated, communicated - computed);
    }

    /// <summary>The step's loss over every rank. It stays on the device between logged steps: reading it waits for the GPU to finish the step.</summary>
    private double GlobalLoss(Tensor stepLoss, double globalMasked)
    {
        var total = new[] { (double)stepLoss.item<float>() };
        collectives.AllReduceSum(total);
        return total[0] / globalMasked;
    }

    /// <summary>The step to the progress line, the coordinator and, at logged steps, metrics.jsonl and TensorBoard.</summary>
    private void Report(TrainerState state, double? loss, double? lastLoss, double lr, double gradNorm, StepTimes times, StepAgreement agreed, StepAgreement local,
        StepBatches batches, TokenStatistics reference, long? validationStep)
    {
        var seconds = times.Total;
        var tflops = agreed.Flops / seconds / collectives.WorldSize / 1e12;
        if (collectives.Rank == 0) Progress?.Update(state.Step, config.MaxSteps, lastLoss, agreed.RealTokens / seconds);
        observer.OnStep(new StepProgress(state.Step, loss, lr, agreed.RealTokens / seconds / collectives.WorldSize, seconds, state.ValidationLoss)
        {
            Times = times, GlobalRealTokens = (long)agreed.RealTokens, GlobalComputedTokens = (long)agreed.ComputedTokens, GlobalFlops = agreed.Flops,
            Rank = new RankThroughput(local.RealTokens / seconds, local.Flops / seconds / 1e12, local.Flops / seconds / 1e12 / config.PeakTflops), ValidationStep = validationStep,
        });
        if (loss is not { } logged) return;
        metrics.WriteStep(new StepRecord(state.Step, logged, lr, gradNorm, agreed.RealTokens / seconds, tflops, tflops / config.PeakTflops, (long)agreed.MaskedTokens,
            batches.MicroBatches.Select(m => m.SeqLen).DefaultIfEmpty(0).Max(), state.Epoch, agreed.ComputedTokens > 0 ? 1 - agreed.RealTokens / agreed.ComputedTokens : 0.0,
            times, reference.UnigramEntropy, reference.PositionEntropy), console: Progress is null);
    }

    /// <summary>The validation loss at this step, written to the metrics; null (with a note) when the validation cells scored have no masked token.</summary>
    private TrainerState? Validate(TrainerState state)
    {
        observer.OnPhase(TrainingPhase.Evaluating);
        var validation = ValidationLoss();
        observer.OnPhase(TrainingPhase.Training);
        if (double.IsNaN(validation))
        {
            if (state.Step <= config.EvalEvery || state.Step == config.MaxSteps) Info($"no validation loss at step {state.Step}: the validation cells scored have no masked gene token (too few or too short cells)");
            return null;
        }
        metrics.Write(new Dictionary<string, object?> { ["step"] = state.Step, ["validation_loss"] = validation });
        return state with { ValidationLoss = validation, BestValidationLoss = Math.Min(validation, state.BestValidationLoss ?? double.MaxValue) };
    }

    /// <summary>Forward and backward of one micro batch; adds its summed (not averaged) cross-entropy to <paramref name="lossSum"/>, on the device.</summary>
    private void ForwardBackward(DeviceMicroBatch micro, double globalMasked, Tensor lossSum)
    {
        using var scope = NewDisposeScope();
        if (micro.Labels.shape[0] == 0) return;
        var logits = micro.Cells is { } cells ? model.ForwardPacked(micro.InputIds, cells, micro.MaskedPositions)
            : model.Forward(micro.InputIds, micro.AttentionMask, micro.MaskedPositions).Logits!; // no padding, no mask: flash attention on CUDA
        var sum = nn.functional.cross_entropy(logits, micro.Labels, reduction: nn.Reduction.Sum);
        (sum / globalMasked).backward();
        lossSum.add_(sum.detach());
    }

    private double FlopsOf(StepBatches batches) =>
        batches.MicroBatches.Sum(m => ModelFlops.TrainingPerBatch(model.Config, m.Lengths, config.MaskProbability));

    /// <summary>Mean masked-token cross-entropy over the first eval_cells validation cells, with fixed masking; shared across ranks.</summary>
    public double ValidationLoss()
    {
        var cells = data.Validation!;
        var count = config.EvalCells == 0 ? cells.Count : Math.Min(cells.Count, config.EvalCells);
        var masking = config.Masking();
        var collator = new MicroBatchCollator(cells, masking, data.Vocabulary, (ulong)config.Seed + 7919, maxLength);
        var mine = new List<long>();
        for (long i = collectives.Rank; i < count; i += collectives.WorldSize) mine.Add(i);
        var totals = new double[2];
        model.eval();
        using (no_grad())
        {
            foreach (var samples in ScoringBatches.Of(mine, collator.TokensOf, config.MicroBatch))
            {
                var micro = collator.Collate(samples);
                totals[0] += MaskedLmScorer.SumCrossEntropy(model, micro, device);
                totals[1] += micro.Labels.Length;
            }
        }
        model.train();
        collectives.AllReduceSum(totals);
        return totals[1] > 0 ? totals[0] / totals[1] : double.NaN;
    }

    private TrainerState Restore(ResumeFrom resume, TokenStatistics reference)
    {
        var fresh = new TrainerState { GlobalBatch = geometry.GlobalBatch, WorldSize = collectives.WorldSize, Seed = config.Seed };
        string? dir = null;
        switch (resume)
        {
            case ResumeFrom.Directory d:
                // Rank 0 alone reads and hashes the checkpoint; the others learn whether it verified.
                // A rank-0 failure is shared before it is thrown, so no rank waits for it in a collective.
                string? problem = null;
                if (collectives.Rank == 0)
                {
                    try
                    {
                        var problems = CheckpointManifest.Read(d.Path).Verify(d.Path);
                        if (problems.Count > 0) problem = $"{d.Path}: checkpoint does not verify: {string.Join("; ", problems)}";
                    }
                    catch (InvalidDataException e)
                    {
                        problem = e.Message;
                    }
                }
                if (!FromRankZero(problem is null ? 1 : 0).Equals(1.0))
                    throw new InvalidDataException(problem ?? $"{d.Path}: checkpoint does not verify: rank 0 found it damaged (its log names what)");
                dir = d.Path;
                break;
            case ResumeFrom.Auto auto:
                // Rank 0 alone hashes the checkpoints and tells the others which one to load.
                long found = -1;
                var fromSeed = false;
                string? seedProblem = null;
                if (collectives.Rank == 0)
                {
                    try
                    {
                        var choice = ResumePolicy.Choose(store, auto.Seed);
                        foreach (var s in choice.Skipped) Info($"skipping checkpoint {s.Path}: {string.Join("; ", s.Problems)}");
                        (found, fromSeed) = (choice.Checkpoint?.Step ?? -1, choice.FromSeed);
                    }
                    catch (InvalidDataException e)
                    {
                        seedProblem = $"--resume-from {e.Message}";
                    }
                }
                if (!FromRankZero(seedProblem is null ? 1 : 0).Equals(1.0))
                    throw new InvalidDataException(seedProblem ?? $"--resume-from {auto.Seed}: rank 0 found no verified checkpoint there (its log names why)");
                found = (long)FromRankZero(found);
                fromSeed = FromRankZero(fromSeed ? 1 : 0) > 0;
                dir = found >= 0 ? ResumePolicy.PathOf(store, auto.Seed, found, fromSeed) : null;
                if (dir is null) Info($"no checkpoint to resume from in {store.Root}; starting from scratch");
                else if (fromSeed) Info($"{store.Root} holds no checkpoint yet: starting from {dir} (--resume-from)");
                break;
            case ResumeFrom.Scratch:
                break;
            case ResumeFrom.None:
                if (store.List(verify: false).Count > 0)
                    throw new InvalidOperationException($"--resume none, but {store.Root} already holds checkpoints; use --resume auto, or another --checkpoints directory");
                break;
        }
        // A rank that cannot see rank 0's choice says "none", and the agreement below stops every rank with the reason.
        var state = dir is not null && (collectives.Rank == 0 || File.Exists(Path.Combine(dir, CheckpointLayout.TrainerStateFile))) ? TrainerState.Read(dir) : null;
        ResumeAgreement.OnStep(collectives, state?.Step ?? -1, dir ?? store.Root);
        if (dir is null || state is null)
        {
            if (InitialWeights is { } init)
            {
                CheckSameVocabulary(init);
                if (collectives.Rank == 0) ModelFolder.LoadWeights(model, Path.Combine(init, ModelFolder.WeightsFile));
                Info($"starting from the weights of {init}, with a fresh optimizer and learning-rate schedule");
            }
            else if (config.OutputBiasInit == "unigram") model.SetOutputBias(OutputBias(reference));
            BroadcastWeights();
            return fresh;
        }
        if (state.GlobalBatch != geometry.GlobalBatch)
            throw new InvalidDataException($"{dir}: trained with global batch {state.GlobalBatch}, this run asks for {geometry.GlobalBatch}; the data order would change. Keep --global-batch {state.GlobalBatch}");
        ModelFolder.LoadWeights(model, Path.Combine(dir, ModelFolder.WeightsFile));
        optimizer.load_state_dict(Path.Combine(dir, CheckpointLayout.OptimizerFile));
        ResumeAgreement.OnWeights(collectives, state.Step, WeightsDigest.Of(model), dir);
        Info($"resumed from {dir} at step {state.Step}");
        return state;
    }

    /// <summary>A model folder that carries its vocabulary (a checkpoint) must have the corpus's: a token id means one gene to both.</summary>
    private void CheckSameVocabulary(string modelFolder)
    {
        var theirs = Path.Combine(modelFolder, CheckpointLayout.TokenizerFolder, Data.Corpus.CorpusManifest.VocabularyFileName);
        if (!File.Exists(theirs) || !data.TokenizerFiles.TryGetValue(Data.Corpus.CorpusManifest.VocabularyFileName, out var ours)) return;
        if (!File.ReadLines(theirs).SequenceEqual(File.ReadLines(ours)))
            throw new InvalidDataException($"--init-from {modelFolder}: its vocabulary ({theirs}) differs from the corpus's ({ours}); prepare the corpus with --vocab {theirs}");
    }

    /// <summary>Rank 0's <paramref name="value"/> on every rank (exact for integers up to 2^53).</summary>
    private double FromRankZero(double value)
    {
        var shared = new[] { collectives.Rank == 0 ? value : 0.0 };
        collectives.AllReduceSum(shared);
        return shared[0];
    }

    /// <summary>The log frequency of each gene in the training cells; ids the corpus vocabulary lacks get the smallest value.</summary>
    private float[] OutputBias(TokenStatistics reference)
    {
        var logFrequencies = reference.LogFrequencies();
        var bias = new float[model.Config.VocabSize];
        Array.Fill(bias, logFrequencies.Min());
        logFrequencies.CopyTo(bias, 0);
        return bias;
    }

    private void BroadcastWeights()
    {
        if (collectives.WorldSize == 1) return;
        using var noGrad = no_grad();
        foreach (var p in model.parameters()) collectives.Broadcast(p, 0);
    }


    /// <summary>
    /// Rank 0 stages weights, optimizer state, trainer state, config and tokenizer files; every rank writes its
    /// loader position and weights digest; the checkpoint is committed (and <c>latest</c> moved) only once every part
    /// is written: by rank 0, or by the coordinator when one is in charge. The files are copied to host memory first
    /// and, <paramref name="inBackground"/>, written and committed on another thread while training goes on. Returns
    /// the seconds training was paused.
    /// </summary>
    private double SaveCheckpoint(TrainerState state, bool inBackground)
    {
        observer.OnPhase(TrainingPhase.Checkpointing);
        var clock = Stopwatch.StartNew();
        FinishPendingCheckpoint();
        var staging = store.StagingPath(state.Step);
        if (collectives.Rank == 0) store.BeginStaging(state.Step);
        collectives.Barrier();
        var snapshot = CheckpointSnapshot.Take(model, optimizer, state, config, data.TokenizerFiles, collectives.Rank);
        var (step, rank) = (state.Step, collectives.Rank);
        if (inBackground)
        {
            pendingCheckpoint = BackgroundCheckpoint.Start(snapshot, staging, committer is null ? null : () =>
            {
                committer.PartWritten(step, rank);
                Info($"checkpoint {store.PathOf(step)} committed by the coordinator, written beside training in {clock.Elapsed.TotalSeconds:0.0}s");
            });
        }
        else
        {
            using (snapshot) snapshot.WriteInto(staging);
            var pruned = CommitWritten(state.Step);
            Info($"checkpoint {store.PathOf(state.Step)} committed{(committer is null ? "" : " by the coordinator")} in {clock.Elapsed.TotalSeconds:0.0}s" + Pruned(pruned));
            observer.OnCheckpointCommitted(state.Step, store.PathOf(state.Step));
        }
        observer.OnPhase(TrainingPhase.Training);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Every rank has written its part of <paramref name="step"/>: the coordinator commits (PartWritten waits for it), or rank 0 does after a barrier.</summary>
    private IReadOnlyList<long> CommitWritten(long step)
    {
        if (committer is not null)
        {
            committer.PartWritten(step, collectives.Rank);
            return [];
        }
        collectives.Barrier();
        IReadOnlyList<long> pruned = [];
        if (collectives.Rank == 0)
        {
            RankPart.VerifyAll(store.StagingPath(step), collectives.WorldSize, step);
            pruned = Commit(step);
        }
        collectives.Barrier();
        return pruned;
    }

    /// <summary>
    /// Every rank's background write is done (all ranks learn it at the same step): with a coordinator each part's
    /// writer has already waited for the commit; without one rank 0 verifies the parts and commits on its writer thread.
    /// </summary>
    private void CommitInBackground()
    {
        var pending = pendingCheckpoint!;
        if (committer is null && collectives.Rank == 0)
        {
            var (step, worldSize) = (pending.Step, collectives.WorldSize);
            pending.ThenCommit(() =>
            {
                RankPart.VerifyAll(store.StagingPath(step), worldSize, step);
                var pruned = Commit(step);
                Info($"checkpoint {store.PathOf(step)} committed, written beside training in {pending.Seconds:0.0}s" + Pruned(pruned));
            });
            return;
        }
        CheckpointCommitted(pending);
    }

    /// <summary>
    /// The background checkpoint, at a step boundary every rank meets: once every rank has written its part
    /// (<paramref name="partsWritten"/> of them say so), its commit starts; once committed, it is done.
    /// </summary>
    private void AdvancePendingCheckpoint(int partsWritten)
    {
        if (pendingCheckpoint is { CommitStarted: false } && partsWritten == collectives.WorldSize) CommitInBackground();
        if (pendingCheckpoint is { CommitStarted: true, Written: true } done) CheckpointCommitted(done);
    }

    private static string Pruned(IReadOnlyList<long> steps) => steps.Count > 0 ? $"; pruned steps {string.Join(", ", steps)}" : "";

    private void CheckpointCommitted(BackgroundCheckpoint done)
    {
        observer.OnCheckpointCommitted(done.Step, store.PathOf(done.Step));
        pendingCheckpoint = null;
    }

    /// <summary>Before the next checkpoint: waits for this rank's background write, and commits it if that had not begun (every rank calls this at the same step).</summary>
    private void FinishPendingCheckpoint()
    {
        if (pendingCheckpoint is not { } pending) return;
        pending.Wait();
        if (!pending.CommitStarted && committer is null)
            Info($"checkpoint {store.PathOf(pending.Step)} committed, written beside training in {pending.Seconds:0.0}s" + Pruned(CommitWritten(pending.Step)));
        CheckpointCommitted(pending);
    }

    /// <summary>Commits a fully written staged checkpoint and prunes old ones (what the committer does).</summary>
    private IReadOnlyList<long> Commit(long step)
    {
        store.Commit(step);
        return store.Prune(config.KeepLast);
    }

    /// <summary>
    /// Rank 0's TensorBoard events, in a new file: a resumed run's first step purges the steps its predecessor logged
    /// past the checkpoint, so the curves continue rather than repeat. The configuration goes in as text.
    /// </summary>
    private void OpenTensorBoard(long startStep)
    {
        if (collectives.Rank != 0 || !config.TensorBoard) return;
        var board = metrics.OpenTensorBoard(config.TensorBoardDir ?? Path.Combine(store.Root, "tensorboard"), startStep > 0 ? startStep + 1 : null);
        board.AddText(startStep, "config/training", $"```json\n{config.ToJson()}\n```");
        board.AddText(startStep, "config/model", $"```json\n{model.Config.ToJson()}\n```");
    }

    private void Info(string message)
    {
        if (collectives.Rank == 0) log.WriteLine(message);
    }

    public void Dispose()
    {
        pendingCheckpoint?.Drain(TimeSpan.FromSeconds(60)); // a failed run: let the writer end before the process does
        metrics.Dispose();
        gradients.Dispose();
        upload.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
