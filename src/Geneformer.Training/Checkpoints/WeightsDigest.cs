using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Training.Checkpoints;

/// <summary>SHA-256 over every parameter's fp32 bytes in name order: ranks compare it to prove they hold identical weights.</summary>
public static class WeightsDigest
{
    public static string Of(BertForMaskedLM model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Of(model.named_parameters().Select(p => (p.name, p.parameter.detach())));
    }

    /// <summary>The same digest of named weights copied off a model (any dtype and device; hashed as fp32).</summary>
    public static string Of(IEnumerable<(string Name, Tensor Value)> weights)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (_, value) in weights.OrderBy(w => w.Name, StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope(); // detach: a handle of our own, whatever to() and cpu() return
            var cpu = value.detach().to(ScalarType.Float32).cpu().contiguous();
            sha.AppendData(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
