namespace Geneformer.Data.Corpus;

public sealed record ShardInfo(string File, long Rows);
