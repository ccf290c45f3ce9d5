using Cake.Frosting;
using KubeRunbooks.Tasks.Common;
using KubeRunbooks.Tasks.Vantiq.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Certificates;

// The seed's "SSL 証明書を更新する" and its rollback, each read from its dependencies in order.

/// <summary>New SSL certificate: checked, archived and installed, both TLS secrets written and verified, served certificate checked.</summary>
[TaskName(SecretTargets.RenewSslCertificate)]
[TaskDescription("SSL renewal --certificate=FILE --key=FILE [--force]: checks, NAME.yyyyMMdd archive, vantiq-ssl-cert and shared/default-ssl-cert written and verified, served certificate checked")]
[IsDependentOn(typeof(ValidateSecretRenewalTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(InstallSensitiveFilesTask))]
[IsDependentOn(typeof(RegenerateSecretsTask))]
[IsDependentOn(typeof(CheckServedCertificateTask))]
[IsDependentOn(typeof(SecretRenewalReportTask))]
public sealed class RenewSslCertificateTask : FrostingTask
{
}

/// <summary>Back to an archived certificate set (the newest, or --date=yyyyMMdd).</summary>
[TaskName(SecretTargets.RollbackSslCertificate)]
[TaskDescription("SSL rollback [--date=yyyyMMdd]: the dated fullchain.crt/private.key renamed back, both TLS secrets written and verified")]
[IsDependentOn(typeof(ValidateSecretRenewalTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(InstallSensitiveFilesTask))]
[IsDependentOn(typeof(RegenerateSecretsTask))]
[IsDependentOn(typeof(CheckServedCertificateTask))]
[IsDependentOn(typeof(SecretRenewalReportTask))]
public sealed class RollbackSslCertificateTask : FrostingTask
{
}
