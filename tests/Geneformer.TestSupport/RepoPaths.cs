namespace Geneformer.TestSupport;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Geneformer.Distributed.sln).</summary>
    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Geneformer.Distributed.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("repository root (Geneformer.Distributed.sln) not found above " + AppContext.BaseDirectory);
        }
    }
}
