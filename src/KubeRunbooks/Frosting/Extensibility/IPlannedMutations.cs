using Cake.Core;

namespace KubeRunbooks.Frosting;

/// <summary>
/// Implemented by a task class that changes a cluster: under <c>--dryrun</c> the host prints the
/// returned lines, indented, under the task's name, in execution order, and runs no task body.
/// </summary>
public interface IPlannedMutations
{
    /// <summary>
    /// Describes what the task would change, one line each (for example
    /// <c>scale statefulset/vantiq to 0</c>). Must not change anything nor print secrets. May throw
    /// <see cref="KubeRunbooks.Errors.InvalidInputException"/> when the input is wrong.
    /// </summary>
    /// <param name="context">The run's context (the type given to <c>UseContext&lt;T&gt;()</c>).</param>
    IEnumerable<string> PlanMutations(ICakeContext context);
}
