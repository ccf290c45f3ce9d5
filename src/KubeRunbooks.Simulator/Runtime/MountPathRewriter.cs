using System.Text.RegularExpressions;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// How a process reaches its volumes without a mount namespace: every occurrence of a mountPath as a
/// whole path prefix in the command, the args and env values is rewritten to the volume's local folder
/// (<c>/backup/dump.gz</c> becomes <c>ROOT/pvc/NS/CLAIM/dump.gz</c>); the longest mountPath wins.
/// Each mount is also exported as <c>SIM_MOUNT_&lt;PATH&gt;</c> (non-alphanumerics as _), e.g.
/// <c>SIM_MOUNT__BACKUP</c>, for stand-in scripts that build paths at run time.
/// </summary>
internal sealed class MountPathRewriter
{
    private readonly Dictionary<string, string> _locals = new(StringComparer.Ordinal);
    private readonly Regex? _pattern;

    /// <summary>Builds the rules for the mounts of one container.</summary>
    public MountPathRewriter(IEnumerable<(string MountPath, string Local)> mounts)
    {
        foreach (var (mountPath, local) in mounts)
            if (mountPath.Length > 0) _locals[mountPath] = local;
        if (_locals.Count == 0) return;
        // One pass, longest mountPath first, so a replaced folder is never rewritten again. A whole-path
        // match: not inside a longer word or path, followed by a separator or the end.
        var alternatives = string.Join("|", _locals.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape));
        _pattern = new Regex(@"(?<![\w.\-/])(?:" + alternatives + @")(?=$|[/\s""'`;:,|&)>}])");
    }

    /// <summary>The text with mountPath prefixes replaced by local folders.</summary>
    public string Rewrite(string text) => _pattern is null ? text : _pattern.Replace(text, m => _locals[m.Value]);

    /// <summary>The env variable name that exports a mount's local folder.</summary>
    public static string EnvNameOf(string mountPath) =>
        "SIM_MOUNT_" + Regex.Replace(mountPath.ToUpperInvariant(), "[^A-Z0-9]", "_");
}
