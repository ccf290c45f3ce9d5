using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>What happened to an object, as a watch reports it.</summary>
public enum StoreEventType
{
    /// <summary>The object was created (or is reported as existing when a watch starts).</summary>
    Added,

    /// <summary>The object was changed.</summary>
    Modified,

    /// <summary>The object was deleted; the event carries its last state.</summary>
    Deleted,
}

/// <summary>One change in the store.</summary>
/// <param name="Type">Added, Modified or Deleted.</param>
/// <param name="Kind">The kind of the object.</param>
/// <param name="Object">The object (a private copy: the receiver may keep or change it).</param>
/// <param name="ResourceVersion">The store's resourceVersion after the change.</param>
public sealed record StoreEvent(StoreEventType Type, ResourceKind Kind, JsonObject Object, long ResourceVersion)
{
    /// <summary>The wire name of the event type (ADDED, MODIFIED, DELETED).</summary>
    public string WireType => Type switch
    {
        StoreEventType.Added => "ADDED",
        StoreEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
