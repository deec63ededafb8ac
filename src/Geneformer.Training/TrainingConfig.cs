using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Training;

/// <summary>
/// Every knob of a pretraining run, read from a training preset (cluster-configs/training/NAME.json) and
/// overridden from the command line. Names are snake_case in JSON.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Model preset name or config.json path.</summary>
    [JsonPropertyName("model")] public string Model { get; init; } = "geneformer-10m";
    [JsonPropertyName("micro_batch")] public int MicroBatch { get; init; } = 32;
    [JsonPropertyName("global_batch")] public long GlobalBatch { get; init; } = 2048;
    [JsonPropertyName("max_steps")] public long MaxSteps { get; init; } = 1000;
    [JsonPropertyName("lr")] public double LearningRate { get; init; } = 1e-3;
    [JsonPropertyName("min_lr_ratio")] public double MinLrRatio { get; init; } = 0.01;
    [JsonPropertyName("warmup_steps")] public long WarmupSteps { get; init; } = 100;
    [JsonPropertyName("hold_steps")] public long HoldSteps { get; init; }
    /// <summary>Steps over which the cosine decays to lr x min_lr_ratio after warmup and hold (default: to max_steps).</summary>
    [JsonPropertyName("decay_steps")] public long? DecaySteps { get; init; }
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0.01;
    [JsonPropertyName("beta1")] public double Beta1 { get; init; } = 0.9;
    [JsonPropertyName("beta2")] public double Beta2 { get; init; } = 0.999;
    [JsonPropertyName("adam_eps")] public double AdamEps { get; init; } = 1e-8;
    /// <summary>AdamW's update as libtorch's fused kernel (the same update; <c>false</c>: TorchSharp's per-parameter loop).</summary>
    [JsonPropertyName("fused_adamw")] public bool FusedAdamW { get; init; } = true;
    [JsonPropertyName("grad_clip")] public double GradClip { get; init; } = 1.0;
    [JsonPropertyName("seed")] public long Seed { get; init; } = 42;
    [JsonPropertyName("max_length")] public int? MaxLength { get; init; }
    [JsonPropertyName("mask_probability")] public double MaskProbability { get; init; } = 0.15;
    [JsonPropertyName("mask_token_fraction")] public double MaskTokenFraction { get; init; } = 0.8;
    [JsonPropertyName("random_token_fraction")] public double RandomTokenFraction { get; init; } = 0.1;
    [JsonPropertyName("checkpoint_every")] public long CheckpointEvery { get; init; } = 500;
    [JsonPropertyName("async_checkpoint")] public bool AsyncCheckpoint { get; init; } = true;
    [JsonPropertyName("keep_last")] public int KeepLast { get; init; } = 3;
    [JsonPropertyName("eval_every")] public long EvalEvery { get; init; } = 500;
    /// <summary>Validation cells scored at each evaluation (0 = the whole validation split).</summary>
    [JsonPropertyName("eval_cells")] public int EvalCells { get; init; } = 1024;
    [JsonPropertyName("log_every")] public long LogEvery { get; init; } = 1;
    /// <summary>Rank 0 also writes every metric as a TensorBoard scalar, and the configuration as text.</summary>
    [JsonPropertyName("tensorboard")] public bool TensorBoard { get; init; } = true;
    /// <summary>The TensorBoard log folder; null: <c>tensorboard/</c> in the checkpoint directory.</summary>
    [JsonPropertyName("tensorboard_dir")] public string? TensorBoardDir { get; init; }
    [JsonPropertyName("device")] public string Device { get; init; } = "auto";
    /// <summary>fp32 or bf16; default: bf16 on CUDA, fp32 on CPU.</summary>
    [JsonPropertyName("precision")] public string? Precision { get; init; }
    /// <summary>Torch intra-op threads (0 = libtorch default). Runs are bit-identical only for a fixed count.</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }
    /// <summary>
    /// Deterministic algorithms only (libtorch's <c>use_deterministic_algorithms</c>, and cuBLAS's fixed workspace,
    /// <c>CUBLAS_WORKSPACE_CONFIG=:4096:8</c>): on CUDA a resumed run then repeats the uninterrupted one bit for bit, at
    /// some speed. Off, CUDA's atomic adds in backward make runs differ in the last bits. CPU runs are deterministic either way.
    /// </summary>
    [JsonPropertyName("deterministic")] public bool Deterministic { get; init; }
    /// <summary>Peak dense TFLOPS of one device, for MFU (e.g. 312 for A100 bf16, 989 for H100 SXM bf16).</summary>
    [JsonPropertyName("peak_tflops")] public double PeakTflops { get; init; } = 1.0;
    /// <summary>
    /// Deal each step's cells into micro batches by length, so micro batches pad only to cells of nearly their own
    /// length. The step's cells and gradient are unchanged; only which micro batch (and rank) computes a cell changes.
    /// </summary>
    [JsonPropertyName("length_grouping")] public bool LengthGrouping { get; init; } = true;
    /// <summary>
    /// Pack micro batches: whole cells laid end to end with no padding, up to <c>micro_batch_tokens</c> tokens each, and
    /// attention kept within each cell (variable-length flash attention on CUDA in bf16). The step's cells and gradient
    /// are unchanged; no FLOP is spent on padding and every micro batch is full. Replaces <c>length_grouping</c> when on.
    /// </summary>
    [JsonPropertyName("packing")] public bool Packing { get; init; } = true;
    /// <summary>Tokens in a packed micro batch (default: micro_batch x max_length, the most a padded micro batch holds); at least max_length.</summary>
    [JsonPropertyName("micro_batch_tokens")] public int? MicroBatchTokens { get; init; }
    [JsonPropertyName("prefetch_steps")] public int PrefetchSteps { get; init; } = 2;
    /// <summary>
    /// How a fresh run initialises the MLM output bias (<c>cls.predictions.bias</c>): <c>unigram</c>, the log frequency of
    /// each gene in the training cells, so the model starts at the unigram loss and its embeddings need not encode
    /// gene frequencies; or <c>zero</c>, Hugging Face's initialisation.
    /// </summary>
    [JsonPropertyName("output_bias_init")] public string OutputBiasInit { get; init; } = "unigram";
    /// <summary>Training cells (spread evenly over the split) whose tokens give the gene frequencies and the reference losses.</summary>
    [JsonPropertyName("reference_cells")] public int ReferenceCells { get; init; } = 20_000;
    /// <summary>Steps the loss may sit at the unigram level after warmup before a warning (divergence: half as many); 0 = no warnings.</summary>
    [JsonPropertyName("learning_watch_steps")] public long LearningWatchSteps { get; init; } = 200;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static TrainingConfig Load(string path)
    {
        try
        {
            var c = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path}: empty training config");
            c.Validate(path);
            return c;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid training config ({e.Message})", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingConfig FromJson(string json) => JsonSerializer.Deserialize<TrainingConfig>(json, JsonOptions)!;

    /// <summary>
    /// This config with <c>KEY=VALUE</c> assignments applied, keys as in the JSON file. A value is read as JSON
    /// (numbers, true/false, null) and otherwise as a string, so <c>device=cuda</c> needs no quotes.
    /// </summary>
    public TrainingConfig WithOverrides(IEnumerable<string> assignments)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ToJson())!.AsObject();
        foreach (var assignment in assignments)
        {
            var eq = assignment.IndexOf('=');
            if (eq <= 0) throw new InvalidDataException($"--set {assignment}: expected KEY=VALUE, a training config key and its value");
            var (key, text) = (assignment[..eq].Trim(), assignment[(eq + 1)..].Trim());
            if (!node.ContainsKey(key))
                throw new InvalidDataException($"--set {assignment}: unknown training config key '{key}'; expected one of {string.Join(", ", node.Select(p => p.Key))}");
            System.Text.Json.Nodes.JsonNode? value;
            try { value = System.Text.Json.Nodes.JsonNode.Parse(text); }
            catch (JsonException) { value = System.Text.Json.Nodes.JsonValue.Create(text); }
            node[key] = value;
            try { JsonSerializer.Deserialize<TrainingConfig>(node.ToJsonString(), JsonOptions); }
            catch (JsonException e) { throw new InvalidDataException($"--set {assignment}: '{text}' is not a valid value for '{key}' ({e.Message})", e); }
        }
        return JsonSerializer.Deserialize<TrainingConfig>(node.ToJsonString(), JsonOptions)!;
    }

    /// <summary>Tokens a cell keeps in training: max_length, at most the model's max_position_embeddings.</summary>
    public int MaxLengthFor(Geneformer.Model.BertConfig model) => Math.Min(MaxLength ?? model.MaxPositions, model.MaxPositions);

    /// <summary>The MLM masking these settings describe (mask_probability, mask_token_fraction, random_token_fraction).</summary>
    public Geneformer.Data.Loading.MlmMasking Masking() =>
        new() { SelectProbability = MaskProbability, MaskFraction = MaskTokenFraction, RandomFraction = RandomTokenFraction };

    /// <summary>How the trainer deals a step's cells into micro batches, for cells cut at <paramref name="maxLength"/> tokens.</summary>
    public Geneformer.Data.Loading.MicroBatching Batching(int maxLength)
    {
        if (!Packing) return new(LengthGrouping);
        var budget = MicroBatchTokens ?? (int)Math.Min(int.MaxValue, (long)MicroBatch * maxLength);
        if (budget < maxLength)
            throw new InvalidDataException($"micro_batch_tokens {budget} is below max_length {maxLength}: a packed micro batch must hold the longest cell; set micro_batch_tokens to at least {maxLength}");
        return new(LengthGrouping, budget);
    }

    public void Validate(string source)
    {
        var check = new Geneformer.Common.ConfigCheck(source);
        check.Require(MicroBatch > 0, "micro_batch", MicroBatch, "a positive integer");
        check.Require(GlobalBatch > 0, "global_batch", GlobalBatch, "a positive integer");
        check.Require(MaxSteps > 0, "max_steps", MaxSteps, "a positive integer");
        check.Require(LearningRate > 0, "lr", LearningRate, "a positive number");
        check.Require(MinLrRatio is >= 0 and <= 1, "min_lr_ratio", MinLrRatio, "a value in [0, 1]");
        check.Require(WarmupSteps >= 0 && HoldSteps >= 0, "warmup_steps/hold_steps", $"{WarmupSteps}/{HoldSteps}", "0 or more");
        check.Require(DecaySteps is null or > 0, "decay_steps", DecaySteps, "a positive integer");
        check.Require(WeightDecay >= 0, "weight_decay", WeightDecay, "0 or more");
        check.Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, "beta1/beta2", $"{Beta1}/{Beta2}", "values in [0, 1)");
        check.Require(GradClip >= 0, "grad_clip", GradClip, "0 (off) or more");
        check.Require(MaxLength is null or > 0, "max_length", MaxLength, "a positive integer");
        check.Require(MaskProbability is > 0 and <= 1, "mask_probability", MaskProbability, "a value in (0, 1]");
        check.Require(MaskTokenFraction >= 0 && RandomTokenFraction >= 0 && MaskTokenFraction + RandomTokenFraction <= 1,
            "mask_token_fraction/random_token_fraction", $"{MaskTokenFraction}/{RandomTokenFraction}", "non-negative and summing to at most 1");
        check.Require(CheckpointEvery > 0, "checkpoint_every", CheckpointEvery, "a positive integer");
        check.Require(KeepLast > 0, "keep_last", KeepLast, "a positive integer");
        check.Require(EvalEvery > 0, "eval_every", EvalEvery, "a positive integer");
        check.Require(EvalCells >= 0, "eval_cells", EvalCells, "0 (all) or more");
        check.Require(LogEvery > 0, "log_every", LogEvery, "a positive integer");
        check.Require(MicroBatchTokens is null or > 0, "micro_batch_tokens", MicroBatchTokens, "a positive integer (at least max_length)");
        check.Require(Precision is null or "fp32" or "bf16", "precision", Precision, "fp32 or bf16");
        check.Require(PeakTflops > 0, "peak_tflops", PeakTflops, "a positive number");
        check.Require(OutputBiasInit is "unigram" or "zero", "output_bias_init", OutputBiasInit, "unigram or zero");
        check.Require(ReferenceCells > 0, "reference_cells", ReferenceCells, "a positive integer");
        check.Require(LearningWatchSteps >= 0, "learning_watch_steps", LearningWatchSteps, "0 (off) or more");
    }
}
