using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// An error the API server answers as a <c>Status</c> object, with the code, reason and
/// message a real server gives. The store throws it; the HTTP layer writes it.
/// </summary>
public sealed class ApiError : Exception
{
    /// <summary>Creates an error.</summary>
    public ApiError(int code, string reason, string message, JsonObject? details = null) : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    /// <summary>HTTP status code.</summary>
    public int Code { get; }

    /// <summary>Status reason (NotFound, AlreadyExists, Conflict, Invalid, BadRequest...).</summary>
    public string Reason { get; }

    /// <summary>Status details (name, group, kind, causes), or null.</summary>
    public JsonObject? Details { get; }

    /// <summary>The Status object for the wire.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        // A real server omits an empty (Unknown) reason; kubectl then prints "Error from server: MESSAGE".
        if (Reason.Length > 0) status["reason"] = Reason;
        if (Details != null) status["details"] = Details.DeepClone();
        status["code"] = Code;
        return status;
    }

    private static JsonObject DetailsFor(ResourceKind kind, string name) => new()
    {
        ["name"] = name,
        ["group"] = kind.Group,
        ["kind"] = kind.Plural,
    };

    /// <summary>404: <c>statefulsets.apps "x" not found</c>.</summary>
    public static ApiError NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.QualifiedName} \"{name}\" not found", DetailsFor(kind, name));

    /// <summary>409: <c>secrets "x" already exists</c>.</summary>
    public static ApiError AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.QualifiedName} \"{name}\" already exists", DetailsFor(kind, name));

    /// <summary>409 on a stale resourceVersion, worded as a real server words it.</summary>
    public static ApiError Conflict(ResourceKind kind, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            DetailsFor(kind, name));

    /// <summary>
    /// 409 when a replace carries another object's uid, worded as the storage layer's precondition
    /// check (<c>Precondition failed: UID in precondition: X, UID in object meta: Y</c>).
    /// </summary>
    public static ApiError UidPrecondition(ResourceKind kind, string name, string requested, string actual) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedName} \"{name}\": Precondition failed: UID in precondition: {requested}, UID in object meta: {actual}",
            DetailsFor(kind, name));

    /// <summary>
    /// 500 for a create that carries metadata.resourceVersion: the storage layer's plain error
    /// (no Status reason), as a real server answers it.
    /// </summary>
    public static ApiError ResourceVersionSetOnCreate() =>
        new(500, "", "resourceVersion should not be set on objects to be created");

    /// <summary>422: the object is invalid (<c>Secret "x" is invalid: metadata.name: Required value</c>).</summary>
    public static ApiError Invalid(ResourceKind kind, string name, string field, string problem)
    {
        var details = DetailsFor(kind, name);
        details["kind"] = kind.Kind;
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = problem, ["field"] = field });
        return new(422, "Invalid", $"{kind.Kind} \"{name}\" is invalid: {field}: {problem}", details);
    }

    /// <summary>400 BadRequest with the message given.</summary>
    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>410 Gone for a watch or list from a compacted resourceVersion.</summary>
    public static ApiError Expired(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");
}
