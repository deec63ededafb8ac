using Geneformer.Data.Corpus;
using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Evaluation.Inference;

/// <summary>How a model's cells are tokenized: the vocabulary, medians, mode and length it was trained with.</summary>
public sealed record TokenizerSpec(GeneVocabulary Vocabulary, GeneMedians Medians, TokenMode Mode, int MaxLength, string Source)
{
    public const string Folder = Training.Checkpoints.CheckpointLayout.TokenizerFolder;

    /// <summary>Explicit dictionaries given by the user, overriding or replacing a checkpoint's tokenizer/ folder.</summary>
    public sealed record Overrides(string? VocabularyPath, string? MediansPath, string? TokenMode, int? MaxLength);

    /// <summary>
    /// The checkpoint's own tokenizer/ files (vocab.tsv, medians.tsv, corpus-manifest.json), or the user's
    /// --vocab/--medians/--token-mode when it has none (a model made by <c>geneformer import</c>). The length is
    /// capped at the length it was trained on and the model's position count.
    /// </summary>
    public static TokenizerSpec Resolve(string modelDir, BertConfig model, Overrides given)
    {
        var folder = Path.Combine(modelDir, Folder);
        var hasFolder = Directory.Exists(folder);
        if (!hasFolder && (given.VocabularyPath is null || given.MediansPath is null))
            throw new ArgumentException($"{modelDir} has no {Folder}/ folder (a model made by 'geneformer import'?): pass --vocab and --medians (and --token-mode, default v1) to say how its cells were tokenized");

        CorpusManifest? manifest = null;
        var manifestPath = Path.Combine(folder, CorpusTrainingData.CorpusManifestCopy);
        if (hasFolder && File.Exists(manifestPath)) manifest = CorpusManifest.Load(manifestPath);

        var mode = given.TokenMode is { } m ? TokenModes.Parse(m) : manifest is not null ? TokenModes.Parse(manifest.TokenMode) : TokenMode.V1;
        var vocabPath = given.VocabularyPath ?? Path.Combine(folder, CorpusManifest.VocabularyFileName);
        var mediansPath = given.MediansPath ?? Path.Combine(folder, CorpusManifest.MediansFileName);
        var vocab = DictionaryFiles.LoadVocabulary(vocabPath).ForMode(mode);
        var medians = DictionaryFiles.LoadMedians(mediansPath);
        if (vocab.Count > model.VocabSize)
            throw new InvalidDataException($"{vocabPath}: {vocab.Count} tokens (mode {mode.Name()}), but the model at {modelDir} has vocab_size {model.VocabSize}; this is not the model's vocabulary");
        var length = given.MaxLength ?? manifest?.MaxLength ?? mode.DefaultMaxLength();
        var trainingPath = Path.Combine(modelDir, CheckpointLayout.TrainingConfigFile);
        if (given.MaxLength is null && File.Exists(trainingPath) && TrainingConfig.FromJson(File.ReadAllText(trainingPath)).MaxLength is { } trained)
            length = Math.Min(length, trained); // the positions the model was trained on
        length = Math.Min(length, model.MaxPositions);
        return new TokenizerSpec(vocab, medians, mode, length, given.VocabularyPath is null ? folder : vocabPath);
    }

    public RankValueTokenizer CreateTokenizer() => new(Vocabulary, Medians, Mode, MaxLength);
}
