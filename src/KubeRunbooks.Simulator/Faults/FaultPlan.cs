using System.Text.RegularExpressions;

namespace KubeRunbooks.Simulator.Faults;

/// <summary>
/// Failures the simulated cluster injects, set by a scenario file or by a test at run time.
/// Each part is consumed by the component it concerns: HTTP and watch faults by the API server,
/// exec cuts and container exits by the container runtime, failing Jobs and never-ready pods by
/// the controllers. Counted faults are used up as they fire; the class is thread-safe.
/// </summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<HttpFault> _http = new();
    private int? _dropWatchesAfterEvents;
    private bool _goneOnNextWatch;

    /// <summary>Exec sessions cut (stream closed, no status) after this many stdout bytes.</summary>
    public List<ExecCut> ExecCuts { get; } = new();

    /// <summary>Jobs whose pods fail (the container exits 1): names matched by regex.</summary>
    public List<string> FailingJobs { get; } = new();

    /// <summary>Pods that run but never become Ready: names matched by regex.</summary>
    public List<string> NeverReadyPods { get; } = new();

    /// <summary>Containers that exit with a given code instead of their normal behaviour.</summary>
    public List<ContainerExit> ContainerExits { get; } = new();

    /// <summary>Until this time the server refuses connections (closes them at once).</summary>
    public DateTimeOffset? RefuseConnectionsUntil { get; set; }

    /// <summary>Adds an HTTP fault: the next <c>Remaining</c> matching requests get its status.</summary>
    public void AddHttpFault(HttpFault fault) { lock (_gate) _http.Add(fault); }

    /// <summary>Drops (ends) each watch after it has sent this many events, once set.</summary>
    public int? DropWatchesAfterEvents
    {
        get { lock (_gate) return _dropWatchesAfterEvents; }
        set { lock (_gate) _dropWatchesAfterEvents = value; }
    }

    /// <summary>The next watch request is answered with a 410 Gone (Expired) event.</summary>
    public void GoneOnNextWatch() { lock (_gate) _goneOnNextWatch = true; }

    /// <summary>Takes the pending "410 on the next watch" fault, if any.</summary>
    public bool TakeGoneOnNextWatch()
    {
        lock (_gate)
        {
            var taken = _goneOnNextWatch;
            _goneOnNextWatch = false;
            return taken;
        }
    }

    /// <summary>Finds and consumes one firing of an HTTP fault matching the request, or null.</summary>
    public HttpFault? TakeHttpFault(string method, string path)
    {
        lock (_gate)
        {
            foreach (var fault in _http)
            {
                if (fault.Remaining > 0 && fault.Matches(method, path))
                {
                    fault.Remaining--;
                    return fault;
                }
            }
            return null;
        }
    }

    /// <summary>True when the Job's pods must fail.</summary>
    public bool IsFailingJob(string jobName)
    {
        lock (_gate) return FailingJobs.Any(p => Regex.IsMatch(jobName, p));
    }

    /// <summary>True when the pod must never become Ready.</summary>
    public bool IsNeverReady(string podName)
    {
        lock (_gate) return NeverReadyPods.Any(p => Regex.IsMatch(podName, p));
    }

    /// <summary>The forced exit code for a container, or null.</summary>
    public int? ForcedExitCode(string podName, string container)
    {
        lock (_gate)
        {
            return ContainerExits.FirstOrDefault(e => Regex.IsMatch(podName, e.PodPattern) && e.Container == container)?.ExitCode;
        }
    }

    /// <summary>The byte count after which an exec stream into the pod is cut, or null.</summary>
    public long? ExecCutAfter(string podName)
    {
        lock (_gate) return ExecCuts.FirstOrDefault(c => !c.Stdin && Regex.IsMatch(podName, c.PodPattern))?.AfterBytes;
    }

    /// <summary>The stdin byte count after which an exec stream into the pod is cut (a dropped upload), or null.</summary>
    public long? ExecStdinCutAfter(string podName)
    {
        lock (_gate) return ExecCuts.FirstOrDefault(c => c.Stdin && Regex.IsMatch(podName, c.PodPattern))?.AfterBytes;
    }
}

/// <summary>An HTTP fault: <see cref="Remaining"/> requests matching method and path regex get the status.</summary>
public sealed class HttpFault
{
    /// <summary>HTTP method to match ("*" for any).</summary>
    public string Method { get; init; } = "*";

    /// <summary>Regex on the request path (e.g. <c>/statefulsets/vantiq/scale$</c>).</summary>
    public string PathPattern { get; init; } = ".*";

    /// <summary>Status code to answer: 500, 429, 503...</summary>
    public int Status { get; init; } = 500;

    /// <summary>Seconds for the Retry-After header (429), or null.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>How many more requests this fault answers.</summary>
    public int Remaining { get; set; } = 1;

    /// <summary>True when the request matches the fault's method and path.</summary>
    public bool Matches(string method, string path) =>
        (Method == "*" || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) && Regex.IsMatch(path, PathPattern);
}

/// <summary>
/// Exec streams into matching pods are cut after <see cref="AfterBytes"/> stdout bytes, or with <see cref="Stdin"/> after
/// that many stdin bytes (the command reads end of input there); either way no exit status is sent.
/// </summary>
public sealed record ExecCut(string PodPattern, long AfterBytes, bool Stdin = false);

/// <summary>The named container of matching pods exits with <see cref="ExitCode"/>.</summary>
public sealed record ContainerExit(string PodPattern, string Container, int ExitCode);
