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
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (_, p) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            using var cpu = p.detach().to(ScalarType.Float32).cpu().contiguous();
            sha.AppendData(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
