using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>One post-LN encoder layer (Hugging Face <c>BertLayer</c>).</summary>
public sealed class BertLayer : nn.Module
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(BertConfig config, ComputePrecision precision) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config, precision);
        intermediate = new BertIntermediate(config, precision);
        output = new BertResidualOutput(config.IntermediateSize, config, precision);
        RegisterComponents();
    }

    /// <param name="hidden">[B, S, H] padded cells, or [T, H] packed ones (then <paramref name="packed"/> says where they lie)</param>
    public Tensor Forward(Tensor hidden, Tensor? keyMask, PackedCells? packed = null)
    {
        using var scope = NewDisposeScope();
        var attended = attention.Forward(hidden, keyMask, packed);
        return scope.MoveToOuter(output.Forward(intermediate.Forward(attended), attended));
    }
}
