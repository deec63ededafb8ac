using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class ImportCommandTests
{
    [Fact]
    public void Imports_a_hugging_face_folder_and_refuses_to_overwrite_the_result()
    {
        using var tmp = new TempDir();
        var hf = tmp["hf"];
        Directory.CreateDirectory(hf);
        var made = ProcessRunner.Python(Path.Combine(AppContext.BaseDirectory, "parity", "reference_bert.py"), "make-hf", hf);
        Assert.True(made.ExitCode == 0, made.ToString());

        var r = GeneformerProcess.Run("import", "--input", hf, "--output", tmp["ours"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(Path.Combine(tmp["ours"], "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(tmp["ours"], "config.json")));

        var again = GeneformerProcess.Run("import", "--input", hf, "--output", tmp["ours"]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.StdErr);
    }

    [Fact]
    public void A_folder_without_a_config_is_refused_and_nothing_is_written()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["empty"]);
        var r = GeneformerProcess.Run("import", "--input", tmp["empty"], "--output", tmp["out"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("config.json", r.StdErr);
        Assert.False(Directory.Exists(tmp["out"]));
    }
}
