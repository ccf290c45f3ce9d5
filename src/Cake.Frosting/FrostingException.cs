namespace Cake.Frosting;

/// <summary>A task set that cannot be registered (duplicate name, a dependency that is not a task).</summary>
public sealed class FrostingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FrostingException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public FrostingException(string message, Exception innerException) : base(message, innerException) { }
}
