using Geneformer.Data.Corpus;
using Geneformer.Data.Loading;

namespace Geneformer.Training;

/// <summary>Opens a prepared corpus for training: train and validation splits, masking vocabulary, tokenizer files for checkpoints.</summary>
public static class CorpusTrainingData
{
    public const string CorpusManifestCopy = "corpus-manifest.json";

    public static (TrainingData Data, CorpusReader Reader) Open(string corpusDir)
    {
        var reader = CorpusReader.Open(corpusDir);
        try
        {
            var train = reader.Split("train");
            if (train.Count == 0) throw new InvalidDataException($"{reader.Directory}: the train split has no cells");
            var validation = reader.Split("validation");
            var vocab = reader.Vocabulary;
            var specials = Enumerable.Range(0, vocab.Count).Where(vocab.IsSpecial);
            var masking = new MaskingVocabulary(vocab.Count, vocab.PadId, vocab.MaskId, specials);
            var files = new Dictionary<string, string>
            {
                [CorpusManifest.VocabularyFileName] = Path.Combine(reader.Directory, CorpusManifest.VocabularyFileName),
                [CorpusManifest.MediansFileName] = Path.Combine(reader.Directory, CorpusManifest.MediansFileName),
                [CorpusManifestCopy] = Path.Combine(reader.Directory, CorpusManifest.FileName),
            };
            var data = new TrainingData(reader.Directory, new CorpusSplitCells(train), validation.Count > 0 ? new CorpusSplitCells(validation) : null, masking, files);
            return (data, reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }
}
