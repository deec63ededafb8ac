using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model;

/// <summary>
/// Mixed precision by explicit casts (TorchSharp has no autocast): parameters stay fp32 (the master
/// weights the optimizer updates), matrix products run in <see cref="ComputeType"/> (bf16 on CUDA),
/// LayerNorm and the loss run in fp32. A cast of an fp32 leaf is differentiable, so gradients arrive
/// in fp32 on the parameters; bf16 needs no loss scaling.
/// </summary>
public sealed class ComputePrecision
{
    public static readonly ComputePrecision Fp32 = new(ScalarType.Float32);
    public static readonly ComputePrecision Bf16 = new(ScalarType.BFloat16);

    public ScalarType ComputeType { get; }

    private ComputePrecision(ScalarType computeType) => ComputeType = computeType;

    public bool IsMixed => ComputeType != ScalarType.Float32;

    public static ComputePrecision Parse(string name) => name.ToLowerInvariant() switch
    {
        "fp32" or "float32" => Fp32,
        "bf16" or "bfloat16" => Bf16,
        _ => throw new ArgumentException($"precision '{name}' is not supported; expected fp32 or bf16"),
    };

    /// <summary>The default for a device: bf16 on CUDA, fp32 on CPU.</summary>
    public static ComputePrecision DefaultFor(Device device) => device.type == DeviceType.CUDA ? Bf16 : Fp32;

    public Tensor Cast(Tensor t) => t.dtype == ComputeType ? t : t.to(ComputeType);

    public Tensor Linear(Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.linear(Cast(input), Cast(weight), bias is null ? null : Cast(bias));

    public Tensor LayerNorm(Tensor input, TorchSharp.Modules.LayerNorm norm, double eps)
    {
        var x = input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32);
        var y = nn.functional.layer_norm(x, [x.shape[^1]], norm.weight, norm.bias, eps);
        return Cast(y);
    }
}
