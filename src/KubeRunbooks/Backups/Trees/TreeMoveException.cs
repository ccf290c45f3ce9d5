namespace KubeRunbooks.Backups.Trees;

/// <summary>A move of paths failed midway; <see cref="Moved"/> are the ones that did move (to be put back).</summary>
public sealed class TreeMoveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TreeMoveException(string message, IReadOnlyList<string> moved, Exception inner) : base(message, inner) => Moved = moved;

    /// <summary>The paths that were moved before the failure.</summary>
    public IReadOnlyList<string> Moved { get; }
}
