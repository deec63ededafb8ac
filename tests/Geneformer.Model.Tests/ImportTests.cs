using Geneformer.Common.IO;
using Geneformer.Model.Bert;
using Geneformer.TestSupport;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

public class ImportTests
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "parity", "reference_bert.py");

    [Fact]
    public void Imports_a_hugging_face_pytorch_checkpoint_with_token_types_pooler_and_tied_decoder()
    {
        using var tmp = new TempDir();
        var made = ProcessRunner.Python(Script, "make-hf", tmp.Path);
        Assert.True(made.ExitCode == 0, made.ToString());

        using var model = HuggingFaceImport.Load(tmp.Path);
        model.eval();
        var ids = tensor(Npy.Read<long>(tmp["input_ids.npy"]).Data, [3, 10]);
        var mask = tensor(Npy.Read<long>(tmp["attention_mask.npy"]).Data, [3, 10]);
        var positions = tensor(Npy.Read<long>(tmp["positions.npy"]).Data);
        var expectedHidden = Npy.Read<float>(tmp["expected_hidden.npy"]).Data;
        var expectedLogits = Npy.Read<float>(tmp["expected_logits.npy"]).Data;
        using var noGrad = no_grad();
        var output = model.Forward(ids, mask, positions);
        var hidden = output.LastHidden.data<float>().ToArray();
        var realMask = mask.data<long>().ToArray();
        for (var i = 0; i < realMask.Length; i++)
        {
            if (realMask[i] == 0) continue;
            for (var j = 0; j < 32; j++)
                Assert.True(Math.Abs(hidden[i * 32 + j] - expectedHidden[i * 32 + j]) < 1e-4, $"hidden[{i},{j}]");
        }
        var logits = output.Logits!.data<float>().ToArray();
        Assert.Equal(expectedLogits.Length, logits.Length);
        Assert.All(logits.Zip(expectedLogits), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-4));

        // And it round-trips through our own folder format.
        var ours = tmp["imported"];
        ModelFolder.Save(ours, model);
        using var reloaded = ModelFolder.Load(ours);
        reloaded.eval();
        Assert.Equal(2, reloaded.Config.TypeVocabSize);
        var again = reloaded.Forward(ids, mask, positions);
        Assert.True(again.Logits!.allclose(output.Logits, rtol: 0, atol: 0));
    }

    [Fact]
    public void Refuses_weights_whose_shapes_or_names_do_not_map_and_names_them()
    {
        using var tmp = new TempDir();
        using var model = TestModels.Random(TestModels.Small());
        ModelFolder.Save(tmp["ok"], model);
        var wider = TestModels.Small() with { IntermediateSize = 80 };
        File.WriteAllText(tmp["ok/config.json"], wider.ToJson());
        var e = Assert.Throws<InvalidDataException>(() => HuggingFaceImport.Load(tmp["ok"]));
        Assert.Contains("bert.encoder.layer.0.intermediate.dense.weight", e.Message);
        Assert.Contains("[64, 32]", e.Message);
        Assert.Contains("[80, 32]", e.Message);
    }

    [Fact]
    public void Refuses_a_folder_without_weights()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp["config.json"], TestModels.Small().ToJson());
        var e = Assert.Throws<FileNotFoundException>(() => HuggingFaceImport.Load(tmp.Path));
        Assert.Contains("neither model.safetensors nor pytorch_model.bin", e.Message);
    }
}
