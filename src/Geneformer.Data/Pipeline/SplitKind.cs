namespace Geneformer.Data.Pipeline;

public enum SplitKind { Train, Validation, Test }
