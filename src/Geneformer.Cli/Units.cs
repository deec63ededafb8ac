namespace Geneformer.Cli;

public static class Units
{
    /// <summary>SI prefix with one decimal: 10288981 -> "10.3M".</summary>
    public static string Si(double value)
    {
        string[] suffix = ["", "k", "M", "G", "T", "P"];
        var i = 0;
        while (Math.Abs(value) >= 1000 && i < suffix.Length - 1) { value /= 1000; i++; }
        return $"{value:0.0}{suffix[i]}";
    }
}
