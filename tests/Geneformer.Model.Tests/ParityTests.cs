using Geneformer.Common.IO;
using Geneformer.TestSupport;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

/// <summary>Hidden states and MLM logits agree with a BERT assembled from PyTorch's own TransformerEncoderLayer.</summary>
public class ParityTests
{
    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    public void Matches_pytorch_transformer_encoder_layers_on_padded_input(string act)
    {
        using var tmp = new TempDir();
        using var model = TestModels.Random(TestModels.Small(act));
        var (ids, mask) = TestModels.PaddedBatch(model.Config.VocabSize);
        var positions = tensor(new long[] { 0, 5, 15, 16, 20, 33 });
        using (no_grad())
        {
            var output = model.Forward(ids, mask, positions);
            ModelFolder.WriteInto(tmp.Path, model);
            Npy.Write<long>(tmp["input_ids.npy"], ids.data<long>().ToArray(), ids.shape);
            Npy.Write<long>(tmp["attention_mask.npy"], mask.data<long>().ToArray(), mask.shape);
            Npy.Write<long>(tmp["positions.npy"], positions.data<long>().ToArray(), positions.shape);
            Npy.Write<float>(tmp["hidden.npy"], output.LastHidden.data<float>().ToArray(), output.LastHidden.shape);
            Npy.Write<float>(tmp["logits.npy"], output.Logits!.data<float>().ToArray(), output.Logits.shape);
        }
        var script = Path.Combine(AppContext.BaseDirectory, "parity", "reference_bert.py");
        var result = ProcessRunner.Python(script, "check", tmp.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("hidden_max_abs_diff", result.StdOut);
    }
}
