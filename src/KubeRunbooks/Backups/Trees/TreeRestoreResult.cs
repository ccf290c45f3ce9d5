namespace KubeRunbooks.Backups.Trees;

/// <summary>What a verified tree restore did.</summary>
/// <param name="Entries">Paths the set holds (all in place, compared).</param>
/// <param name="AsideFolder">The folder (in the container) that keeps what was overwritten or removed, or null when nothing needed keeping.</param>
/// <param name="KeptAside">Paths kept there: content the restore replaced (different from the set's) and, with <c>--delete</c>, extras.</param>
/// <param name="ExtrasLeft">Paths the set does not hold, left in place (without <c>--delete</c>).</param>
/// <param name="ExtrasRemoved">Paths the set does not hold, moved out of the tree into the aside folder (with <c>--delete</c>).</param>
public sealed record TreeRestoreResult(int Entries, string? AsideFolder, IReadOnlyList<string> KeptAside, IReadOnlyList<string> ExtrasLeft, IReadOnlyList<string> ExtrasRemoved);
