using Geneformer.Model.Bert;
using Geneformer.TestSupport;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

public class SafetensorsTests
{
    [Fact]
    public void Save_and_load_round_trips_every_parameter_bit_for_bit_with_hugging_face_names()
    {
        using var tmp = new TempDir();
        using var model = TestModels.Random(TestModels.Small(), seed: 11);
        ModelFolder.Save(tmp["m"], model);
        using var loaded = ModelFolder.Load(tmp["m"]);
        var a = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var b = loaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, p) in a) Assert.True(p.allclose(b[name], rtol: 0, atol: 0), name);
        Assert.Contains("bert.embeddings.word_embeddings.weight", a.Keys);
        Assert.Contains("bert.encoder.layer.1.attention.self.query.weight", a.Keys);
        Assert.Contains("cls.predictions.transform.LayerNorm.bias", a.Keys);
        Assert.Contains("cls.predictions.bias", a.Keys);
    }

    [Fact]
    public void Saving_over_an_existing_model_folder_is_refused()
    {
        using var tmp = new TempDir();
        using var model = TestModels.Random(TestModels.Small());
        ModelFolder.Save(tmp["m"], model);
        Assert.Throws<IOException>(() => ModelFolder.Save(tmp["m"], model));
    }
}
