using System.Reflection;
using Cake.Core;
using KubeRunbooks.Errors;
using Spectre.Console.Cli;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>Maps an exception (possibly wrapped by Cake, DI or reflection) to the process exit code.</summary>
internal static class FailureClassifier
{
    /// <summary>The exit code for a run that ended with <paramref name="exception"/>.</summary>
    public static ExitCode Classify(Exception exception)
    {
        if (Find<ClusterLockHeldException>(exception) is not null)
        {
            return ExitCode.LockHeld;
        }

        if (Find<InvalidInputException>(exception) is not null || Find<CommandAppException>(exception) is not null)
        {
            return ExitCode.InvalidInput;
        }

        return ExitCode.StepFailed;
    }

    /// <summary>True for the exceptions that end in one line on stderr (codes 2 and 3).</summary>
    public static bool IsUserError(Exception exception) => Classify(exception) != ExitCode.StepFailed;

    /// <summary>The message to show for a user error: the innermost exception of the kind that decided the code.</summary>
    public static string UserMessage(Exception exception)
    {
        Exception found = (Exception?)Find<ClusterLockHeldException>(exception)
            ?? (Exception?)Find<InvalidInputException>(exception)
            ?? (Exception?)Find<CommandAppException>(exception)
            ?? exception;
        return OneLine(found.Message);
    }

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain (inner and aggregate exceptions).</summary>
    public static T? Find<T>(Exception? exception) where T : Exception
    {
        foreach (var candidate in Chain(exception))
        {
            if (candidate is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>The exception and everything it wraps, outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception? exception)
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is not null)
            {
                pending.Push(current.InnerException);
            }
        }
    }

    /// <summary>The exception to report: Cake's and reflection's wrappers removed.</summary>
    public static Exception Unwrap(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null
            && (current is TargetInvocationException || current is CakeReportException
                || (current is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)))
        {
            current = current.InnerException;
        }

        return current;
    }

    private static string OneLine(string message)
        => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
