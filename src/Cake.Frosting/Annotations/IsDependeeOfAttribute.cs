namespace Cake.Frosting;

/// <summary>The task class <see cref="Task"/> runs after this task (the reverse of <see cref="IsDependentOnAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IsDependeeOfAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="task">A task class implementing <see cref="IFrostingTask"/>.</param>
    public IsDependeeOfAttribute(Type task) => Task = task;

    /// <summary>The task class that depends on this task.</summary>
    public Type Task { get; }
}
