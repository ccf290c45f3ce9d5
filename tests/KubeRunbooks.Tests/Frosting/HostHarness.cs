using Cake.Frosting;
using KubeRunbooks.Frosting;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Tests.Frosting;

/// <summary>What the test tasks did, in order; one per run, injected into the tasks through DI.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}

/// <summary>The outcome of one in-process run of the host.</summary>
public sealed record HostOutcome(int ExitCode, string Out, string Error, Journal Journal)
{
    public static string StripAnsi(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", string.Empty);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();
}

/// <summary>Runs the real host in-process with the tasks of one namespace and captures the console.</summary>
public static class HostHarness
{
    private static readonly object ConsoleGate = new();

    public static HostOutcome Run(string taskNamespace, string[] args, Action<RunbookHost>? configure = null)
    {
        var journal = new Journal();
        var host = new RunbookHost()
            .AddAssembly(typeof(HostHarness).Assembly)
            .UseTasksInNamespace(taskNamespace)
            .ConfigureServices(services => services.AddSingleton(journal));
        configure?.Invoke(host);

        lock (ConsoleGate)
        {
            var originalOut = Console.Out;
            var originalError = Console.Error;
            using var output = new StringWriter();
            using var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                var exitCode = host.Run(args);
                return new HostOutcome(exitCode, HostOutcome.StripAnsi(output.ToString()), HostOutcome.StripAnsi(error.ToString()), journal);
            }
            finally
            {
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }
    }
}
