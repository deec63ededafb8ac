using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using Geneformer.TestSupport;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

public class TorchSaveTests
{
    /// <summary>Loads the file with torch.load and describes what it holds, as JSON.</summary>
    private const string Describe = """
        import json, sys, torch
        o = torch.load(sys.argv[1])
        def show(v):
            if isinstance(v, torch.Tensor):
                return {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.float().flatten().tolist()}
            if isinstance(v, dict):
                return {"dict": [[k, show(x)] for k, x in v.items()]}
            if isinstance(v, (list, tuple)):
                return {type(v).__name__: [show(x) for x in v]}
            return v
        print(json.dumps({"root": show(o), "tied": o["weights"]["tied"].data_ptr() == o["weights"]["embedding"].data_ptr()}))
        """;

    [Fact]
    public void Torch_load_reads_nested_state_with_shared_tensors_scalars_tuples_and_none()
    {
        using var tmp = new TempDir();
        using var embedding = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        var root = new OrderedDictionary
        {
            ["weights"] = new OrderedDictionary { ["embedding"] = embedding, ["tied"] = embedding, ["bf16"] = tensor(new[] { 1.5f, -2f }).to(ScalarType.BFloat16) },
            ["state"] = new OrderedDictionary { { 0, new OrderedDictionary { ["step"] = tensor(7f) } } },
            ["param_groups"] = new ArrayList { new OrderedDictionary { ["lr"] = 0.25, ["betas"] = new object[] { 0.9, 0.999 }, ["fused"] = null, ["amsgrad"] = false, ["params"] = new ArrayList { 0, 1 } } },
            ["last_epoch"] = 12L,
        };
        var path = tmp["state.pt"];
        TorchSave.Write(path, root);

        var r = ProcessRunner.Python("-c", Describe, path);
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.True(json.GetProperty("tied").GetBoolean(), "the same tensor twice must share one storage");
        var expected = """
            {"dict": [["weights", {"dict": [["embedding", {"dtype": "torch.float32", "shape": [2, 3], "values": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]}], ["tied", {"dtype": "torch.float32", "shape": [2, 3], "values": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]}], ["bf16", {"dtype": "torch.bfloat16", "shape": [2], "values": [1.5, -2.0]}]]}], ["state", {"dict": [[0, {"dict": [["step", {"dtype": "torch.float32", "shape": [], "values": [7.0]}]]}]]}], ["param_groups", {"list": [{"dict": [["lr", 0.25], ["betas", {"tuple": [0.9, 0.999]}], ["fused", null], ["amsgrad", false], ["params", {"list": [0, 1]}]]}]}], ["last_epoch", 12]]}
            """;
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(expected).RootElement), JsonSerializer.Serialize(json.GetProperty("root")));
    }
}
