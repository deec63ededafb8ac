using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Hugging Face <c>BertEncoder</c>: the stack of layers, named <c>layer.0</c> ... <c>layer.N-1</c>.</summary>
public sealed class BertEncoder : nn.Module
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config, ComputePrecision precision) : base(nameof(BertEncoder))
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.NumLayers).Select(_ => new BertLayer(config, precision)).ToArray());
        RegisterComponents();
    }

    /// <returns>The last layer's output and, when asked, every layer's output (index 0 = embeddings).</returns>
    public (Tensor Last, Tensor[]? All) Forward(Tensor hidden, Tensor? keyMask, PackedCells? packed, bool outputAllHidden)
    {
        using var scope = NewDisposeScope();
        var all = outputAllHidden ? new List<Tensor> { hidden } : null;
        var x = hidden;
        foreach (var l in layer)
        {
            x = l.Forward(x, keyMask, packed);
            all?.Add(x);
        }
        scope.MoveToOuter(x);
        if (all is not null) scope.MoveToOuter(all);
        return (x, all?.ToArray());
    }
}
