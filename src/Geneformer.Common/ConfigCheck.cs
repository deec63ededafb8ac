namespace Geneformer.Common;

/// <summary>Checks the fields of one config (a file, or the command line): a failure names the source, the field, its value and what was expected.</summary>
public sealed class ConfigCheck(string source)
{
    public void Require(bool ok, string field, object? value, string expected)
    {
        if (!ok) throw new InvalidDataException($"{source}: '{field}' is {value}; expected {expected}");
    }
}
