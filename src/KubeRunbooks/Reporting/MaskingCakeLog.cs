using System.Globalization;
using Cake.Core.Diagnostics;

namespace KubeRunbooks.Reporting;

/// <summary>
/// Cake's log with every registered secret replaced by <c>***</c> before a line is written, so a
/// task, a capability or Cake itself cannot print a secret by accident.
/// </summary>
public sealed class MaskingCakeLog(ICakeLog inner, SecretMasker masker) : ICakeLog
{
    /// <inheritdoc />
    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    /// <inheritdoc />
    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        // Format first: a secret may arrive as an argument rather than in the format string.
        var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        inner.Write(verbosity, level, "{0}", masker.Mask(text) ?? string.Empty);
    }
}
