using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Training.Optim.Fused;

/// <summary>
/// TorchSharp's AdamW, with its update run as libtorch's fused kernel (<c>torch._fused_adamw_</c>, one launch per
/// parameter group) instead of TorchSharp's C# loop of about ten kernels per parameter. TorchSharp has no binding for
/// the fused kernel, so it is reached through a TorchScript function. The state (moments and step counts),
/// hyper-parameters and <c>save_state_dict</c> format are TorchSharp's AdamW's: a checkpoint of either resumes in the other.
/// It is named AdamW, in a namespace of its own, because TorchSharp's state files record the optimizer's type name and
/// refuse another on load.
/// </summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    private const string Script = """
        def adamw(params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], steps: List[Tensor], lr: float, beta1: float, beta2: float, weight_decay: float, eps: float):
            none: List[Tensor] = []
            torch._foreach_add_(steps, 1.0)
            torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, none, steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
        """;

    private readonly jit.CompilationUnit unit;

    /// <summary>Each parameter's step count as the float tensor the kernel reads, with the count it was made from.</summary>
    private readonly Dictionary<IntPtr, (Tensor Count, long Step)> steps = [];

    private AdamW(jit.CompilationUnit unit, IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay) => this.unit = unit;

    /// <summary>The kernel's script is compiled first, so a libtorch without it fails here, before any optimizer state exists.</summary>
    public static AdamW Create(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay) =>
        new(jit.compile(Script + "\n"), groups, lr, beta1, beta2, eps, weightDecay);

    public override Tensor step(Func<Tensor>? closure = null)
    {
        using var noGrad = no_grad();
        foreach (var group in _parameter_groups)
        {
            var o = (Options)group.Options;
            if (o.amsgrad == true || o.maximize == true) throw new NotSupportedException("the fused AdamW has neither amsgrad nor maximize");
            var ps = new List<Tensor>();
            var gs = new List<Tensor>();
            var m = new List<Tensor>();
            var v = new List<Tensor>();
            var counts = new List<Tensor>();
            foreach (var p in group.Parameters)
            {
                if (p.grad is not { } g) continue;
                var state = (State)_state[p.Handle];
                ps.Add(p);
                gs.Add(g);
                m.Add(state.exp_avg);
                v.Add(state.exp_avg_sq);
                counts.Add(StepCount(p, state.step));
                state.step += 1;
                steps[p.Handle] = (steps[p.Handle].Count, state.step);
            }
            if (ps.Count == 0) continue;
            // Numbers go to TorchScript as Scalars we hold: TorchSharp's invoke turns a bare double into a Scalar it drops
            // at once, which the finalizer may free while the call still reads it.
            using var lr = o.LearningRate!.Value.ToScalar();
            using var beta1 = o.beta1!.Value.ToScalar();
            using var beta2 = o.beta2!.Value.ToScalar();
            using var weightDecay = o.weight_decay!.Value.ToScalar();
            using var eps = o.eps!.Value.ToScalar();
            unit.invoke("adamw", ps.ToArray(), gs.ToArray(), m.ToArray(), v.ToArray(), counts.ToArray(), lr, beta1, beta2, weightDecay, eps);
        }
        return closure?.Invoke()!;
    }

    /// <summary>The kernel's step tensor for <paramref name="p"/>, remade when the count changed outside (a loaded state).</summary>
    private Tensor StepCount(TorchSharp.Modules.Parameter p, long step)
    {
        if (steps.TryGetValue(p.Handle, out var s) && s.Step == step) return s.Count;
        s.Count?.Dispose();
        var count = full(1, step, ScalarType.Float32, device: p.device).squeeze(0).DetachFromDisposeScope();
        steps[p.Handle] = (count, step);
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (count, _) in steps.Values) count.Dispose();
            steps.Clear();
            unit.Dispose();
        }
        base.Dispose(disposing);
    }
}
