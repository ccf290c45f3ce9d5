namespace Cake.Frosting;

/// <summary>The description shown by <c>--description</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TaskDescriptionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="description">The task description.</param>
    public TaskDescriptionAttribute(string description) => Description = description;

    /// <summary>The task description.</summary>
    public string Description { get; }
}
