using System.Text.Json.Serialization;

namespace Geneformer.Training.Checkpoints;

public sealed record ManifestFile([property: JsonPropertyName("sha256")] string Sha256, [property: JsonPropertyName("bytes")] long Bytes);
