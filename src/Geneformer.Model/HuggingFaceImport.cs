using System.Collections;
using Geneformer.Model.Bert;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Geneformer.Model;

/// <summary>Reads a Hugging Face Geneformer/BERT folder (<c>config.json</c> + <c>model.safetensors</c> or <c>pytorch_model.bin</c>).</summary>
public static class HuggingFaceImport
{
    public static BertForMaskedLM Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such directory");
        var config = ModelFolder.ReadConfig(folder);
        var model = new BertForMaskedLM(config);
        var safetensors = Path.Combine(folder, "model.safetensors");
        var pickle = Path.Combine(folder, "pytorch_model.bin");
        Dictionary<string, Tensor> state;
        string source;
        if (File.Exists(safetensors))
        {
            state = Safetensors.LoadStateDict(safetensors);
            source = safetensors;
        }
        else if (File.Exists(pickle))
        {
            state = [];
            foreach (DictionaryEntry e in PyTorchUnpickler.UnpickleStateDict(pickle))
                if (e.Value is Tensor t) state[(string)e.Key] = t;
            source = pickle;
        }
        else
        {
            throw new FileNotFoundException($"{folder}: neither model.safetensors nor pytorch_model.bin is present");
        }
        try
        {
            WeightMapping.CopyInto(model, state, source);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        return model;
    }
}
