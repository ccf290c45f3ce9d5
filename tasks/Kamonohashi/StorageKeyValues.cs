namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The Secret's data before the rotation and the old and new secret keys: a class with no generated text, so no value reaches a message.</summary>
public sealed class StorageKeyValues
{
    /// <summary>Holds the values.</summary>
    public StorageKeyValues(IReadOnlyDictionary<string, byte[]> before, string old, string @new)
    {
        Before = before;
        Old = old;
        New = @new;
    }

    /// <summary>Every key of the Secret as it was (what a failure puts back).</summary>
    public IReadOnlyDictionary<string, byte[]> Before { get; }

    /// <summary>The secret key now.</summary>
    public string Old { get; }

    /// <summary>The secret key wanted.</summary>
    public string New { get; }

    /// <inheritdoc />
    public override string ToString() => "(secret values)";
}
