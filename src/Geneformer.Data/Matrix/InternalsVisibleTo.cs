using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Geneformer.Data.Tests")]
