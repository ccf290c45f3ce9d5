using Cake.Core.Diagnostics;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>
/// Cake's log, except that once user code has thrown an invalid-input or lock-held exception the
/// engine's own error lines are dropped: those runs end in exactly one line on stderr.
/// </summary>
internal sealed class UserErrorAwareLog : ICakeLog
{
    private readonly ICakeLog _inner;
    private readonly RunState _state;

    public UserErrorAwareLog(ICakeLog inner, RunState state)
    {
        _inner = inner;
        _state = state;
    }

    public Verbosity Verbosity
    {
        get => _inner.Verbosity;
        set => _inner.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (level <= LogLevel.Error && _state.UserErrorSeen)
        {
            return;
        }

        _inner.Write(verbosity, level, format, args);
    }
}
