using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// Bearer tokens issued by the TokenRequest API (<c>kubectl create token NAME</c>), each standing for its service
/// account. Held in memory: like a real bound token, it does not outlive the cluster that issued it.
/// </summary>
public sealed class ServiceAccountTokens
{
    private readonly ConcurrentDictionary<string, RequestUser> _tokens = new(StringComparer.Ordinal);

    /// <summary>A new token for the service account <paramref name="name"/> of <paramref name="ns"/>.</summary>
    public string Issue(string ns, string name)
    {
        var token = "sa." + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _tokens[token] = RequestUser.ServiceAccount(ns, name);
        return token;
    }

    /// <summary>The user a token stands for, or null when it was not issued here.</summary>
    public RequestUser? Find(string token) => _tokens.TryGetValue(token, out var user) ? user : null;
}
