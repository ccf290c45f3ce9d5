using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Certificates;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The seed's "check in a browser that the certificate changed", as a check: a TLS handshake with the profile's
/// ingress endpoint must present the leaf just installed (the ingress picks up a changed Secret within seconds, so it
/// is asked again until the rollout timeout). Without an endpoint in the profile the report says the check was not
/// possible.
/// </summary>
[TaskName("CheckServedCertificate")]
[TaskDescription("TLS handshake with vantiq.ingressEndpoint: the served certificate must be the new one")]
public sealed class CheckServedCertificateTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override bool ShouldRun(RunbookContext context) => SecretRenewalPlan.Of(context).Certificate is not null;

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var expected = plan.Certificate!.LeafFingerprint;
        if (plan.IngressEndpoint is not { } endpoint || !ServedCertificateProbe.TryParseEndpoint(endpoint, out var host, out var port))
        {
            const string note = "not possible: the profile names no vantiq.ingressEndpoint; check the served certificate in a browser";
            context.Log.Warning($"Served certificate: {note}.");
            context.Journal.RecordFact("servedCertificate", note);
            return;
        }

        var deadline = DateTimeOffset.UtcNow + context.Profile.Timeouts.Rollout;
        string last = "no answer";
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                using var served = await ServedCertificateProbe.GetLeafAsync(host, port, plan.ServerName, TimeSpan.FromSeconds(10), context.LockLost);
                var fingerprint = ValidatedCertificate.Fingerprint(served);
                if (fingerprint == expected)
                {
                    context.Log.Information($"Served certificate at {endpoint} (server name {plan.ServerName}) is the new one: {served.Subject}, sha256 {fingerprint[..16]}.");
                    context.Journal.RecordFact("servedCertificate", $"{endpoint}: the new certificate (sha256 {fingerprint})");
                    return;
                }

                last = $"it serves {served.Subject} (sha256 {fingerprint[..16]}), not the new one (sha256 {expected[..16]})";
            }
            catch (IOException e)
            {
                last = e.Message;
            }

            if (DateTimeOffset.UtcNow >= deadline)
                throw new StepFailedException($"The ingress at {endpoint} does not serve the new certificate after {context.Profile.Timeouts.Rollout}: {last}. The secrets hold the new certificate (see the report); look at the ingress controller.");
            // Polling, not a fixed sleep for a condition: a TLS endpoint has nothing to watch.
            await Task.Delay(delay, context.LockLost);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }
    }
}
