using System.Globalization;
using KubeRunbooks.Simulator.Api;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Faults;

/// <summary>
/// Applies the fault plan's HTTP faults before a request is handled: connections cut while the
/// server "refuses connections", and N answers of 500 / 429 (with Retry-After) / other codes on
/// a method and path pattern.
/// </summary>
internal sealed class HttpFaultInjection(FaultPlan faults)
{
    /// <summary>True while the plan says connections are refused.</summary>
    public bool Refusing => faults.RefuseConnectionsUntil is { } until && DateTimeOffset.UtcNow < until;

    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (Refusing)
        {
            http.Abort();
            return;
        }
        var fault = faults.TakeHttpFault(http.Request.Method, http.Request.Path.Value ?? "/");
        if (fault == null)
        {
            await next();
            return;
        }
        if (fault.RetryAfterSeconds is int seconds) http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var (reason, message) = fault.Status switch
        {
            403 => ("Forbidden", "Forbidden (injected by the simulated cluster's fault plan)"),
            429 => ("TooManyRequests", "Too many requests, please try again later."),
            500 => ("InternalError", "Internal error occurred: injected by the simulated cluster's fault plan"),
            503 => ("ServiceUnavailable", "The service is unavailable (injected by the fault plan)."),
            504 => ("Timeout", "The server was unable to return a response in the time allotted (injected by the fault plan)."),
            _ => ("InternalError", "Injected by the simulated cluster's fault plan"),
        };
        await Responses.WriteStatusAsync(http, fault.Status, reason, message);
    }
}
