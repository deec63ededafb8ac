namespace Geneformer.Training.Checkpoints.PyTorch;

/// <summary>
/// A checkpoint as a PyTorch stack continues it, in the layout of a Hugging Face Trainer checkpoint: each file is
/// read by <c>torch.load</c>. The optimizer's parameter indices follow <c>BertForMaskedLM.named_parameters()</c>
/// in two groups, decayed weights first, then biases and LayerNorm weights (Hugging Face Trainer's grouping).
/// <c>geneformer/</c> holds what this system needs to take the run back: its trainer state, training configuration
/// and tokenizer files.
/// </summary>
public static class PyTorchTrainingState
{
    /// <summary>The model's state dict with Hugging Face <c>BertForMaskedLM</c> names (the tied decoder included).</summary>
    public const string ModelFile = "pytorch_model.bin";
    /// <summary><c>torch.optim.AdamW.state_dict()</c>: per parameter its step count and both moments; per group its hyper-parameters.</summary>
    public const string OptimizerFile = "optimizer.pt";
    /// <summary><c>torch.optim.lr_scheduler.LambdaLR.state_dict()</c>: <c>last_epoch</c> is the optimizer steps done.</summary>
    public const string SchedulerFile = "scheduler.pt";
    public const string ProjectFolder = "geneformer";

    /// <summary>The names Hugging Face gives the tied MLM decoder, and the parameters they are tied to.</summary>
    public static readonly IReadOnlyList<(string Alias, string Parameter)> TiedNames =
    [
        ("cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight"),
        ("cls.predictions.decoder.bias", "cls.predictions.bias"),
    ];
}
