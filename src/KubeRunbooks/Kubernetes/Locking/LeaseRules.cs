using k8s.Models;

namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>What to do with the Lease found on the cluster.</summary>
public enum LeaseDecision
{
    /// <summary>No Lease exists: create it.</summary>
    Create,

    /// <summary>The Lease is free (released) or expired: take it over.</summary>
    TakeOver,

    /// <summary>This holder already holds it: renew.</summary>
    Renew,

    /// <summary>Another holder holds an unexpired Lease: refuse.</summary>
    Held,
}

/// <summary>The lock's rules as pure functions of the Lease and the time.</summary>
public static class LeaseRules
{
    /// <summary>When the Lease expires: (renewTime or acquireTime) + leaseDurationSeconds; null when it never can be held.</summary>
    public static DateTimeOffset? ExpiresAt(V1Lease lease)
    {
        var spec = lease.Spec;
        var from = spec?.RenewTime ?? spec?.AcquireTime;
        if (from is null || spec?.LeaseDurationSeconds is not { } seconds) return null;
        return new DateTimeOffset(DateTime.SpecifyKind(from.Value, DateTimeKind.Utc)).AddSeconds(seconds);
    }

    /// <summary>Decides from the Lease found (or null) what this holder may do now.</summary>
    /// <param name="existing">The Lease found, or null.</param>
    /// <param name="holder">This run's holder identity.</param>
    /// <param name="now">The current time.</param>
    /// <param name="isAbandoned">True for a holder whose run is known to be gone (its lease is taken over before expiry).</param>
    public static LeaseDecision Decide(V1Lease? existing, string holder, DateTimeOffset now, Func<string, bool>? isAbandoned = null)
    {
        if (existing is null) return LeaseDecision.Create;
        var current = existing.Spec?.HolderIdentity;
        if (string.IsNullOrEmpty(current)) return LeaseDecision.TakeOver;
        if (current == holder) return LeaseDecision.Renew;
        if (isAbandoned?.Invoke(current) == true) return LeaseDecision.TakeOver;
        // A lease without a valid expiry is treated as expired: nothing would ever renew it.
        return ExpiresAt(existing) is { } expiry && expiry > now ? LeaseDecision.Held : LeaseDecision.TakeOver;
    }

    /// <summary>The one line shown when the lock is held: holder and expiry, nothing secret.</summary>
    public static string HeldMessage(string ns, string name, V1Lease lease)
    {
        var expiry = ExpiresAt(lease);
        var when = expiry is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "an unknown time";
        return $"The cluster lock (lease {ns}/{name}) is held by run {lease.Spec?.HolderIdentity} until {when}; try again after it is released or expires.";
    }
}
