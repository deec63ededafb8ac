using System.CommandLine;
using Geneformer.Data.Matrix;
using Geneformer.Model;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Cli.Commands;

/// <summary>The options that say how to tokenize and run a model, and which matrix of the input to read; shared by embed and eval celltype.</summary>
public sealed class ModelInputOptions
{
    public Option<string?> Vocab { get; } = new("--vocab") { Description = "Token dictionary (.tsv or Geneformer .pkl), for a model without a tokenizer/ folder (made by 'geneformer import'); overrides the checkpoint's" };
    public Option<string?> Medians { get; } = new("--medians") { Description = "Gene median dictionary (.tsv or .pkl), as --vocab" };
    public Option<string?> TokenMode { get; } = new("--token-mode") { Description = "v1, bionemo or v2 (default: the checkpoint's; v1 with --vocab)" };
    public Option<int?> MaxLength { get; } = new("--max-length") { Description = "Tokens per cell (default: the checkpoint's, capped at the model's positions)" };
    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
    public Option<string?> Precision { get; } = new("--precision") { Description = "fp32 or bf16 compute (default: bf16 on CUDA, fp32 on CPU)" };
    public Option<int> Threads { get; } = new("--threads") { Description = "Torch intra-op threads (0 = libtorch default; results are bit-identical for a fixed count)", DefaultValueFactory = _ => 0 };
    public Option<int> Batch { get; } = new("--batch") { Description = "Cells per forward pass", DefaultValueFactory = _ => 16 };
    public Option<string> Matrix { get; } = new("--matrix") { Description = "AnnData matrix: auto (raw/X when present, else X), X, raw, or layer:NAME", DefaultValueFactory = _ => "auto" };
    public Option<string?> GeneIdColumn { get; } = new("--gene-id-column") { Description = "var column with Ensembl gene ids (default: the var index; 10x: gene_ids)" };
    public Option<string?> GeneSymbols { get; } = GeneSymbolsOption.Create();

    public IEnumerable<Option> All => [Vocab, Medians, TokenMode, MaxLength, Device, Precision, Threads, Batch, Matrix, GeneIdColumn, GeneSymbols];

    public TokenizerSpec.Overrides Overrides(ParseResult r) => new(r.GetValue(Vocab), r.GetValue(Medians), r.GetValue(TokenMode), r.GetValue(MaxLength));

    public CellSourceOptions SourceOptions(ParseResult r, bool allowNegative = false) =>
        new() { Matrix = r.GetValue(Matrix)!, GeneIdColumn = r.GetValue(GeneIdColumn), SymbolToEnsembl = GeneSymbolsOption.Load(r.GetValue(GeneSymbols)), AllowNegativeValues = allowNegative };

    public (TorchSharp.torch.Device Device, ComputePrecision Precision) Runtime(ParseResult r, int? localRank = null)
    {
        TorchRuntime.SetThreads(r.GetValue(Threads));
        var device = TorchRuntime.ResolveDevice(r.GetValue(Device)!, localRank);
        return (device, r.GetValue(Precision) is { } p ? ComputePrecision.Parse(p) : ComputePrecision.DefaultFor(device));
    }
}
