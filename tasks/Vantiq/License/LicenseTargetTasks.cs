using Cake.Frosting;
using KubeRunbooks.Tasks.Common;
using KubeRunbooks.Tasks.Vantiq.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.License;

// The seed's "License ファイルを更新する" and its rollback, each read from its dependencies in order.

/// <summary>New license files: checked, archived and installed, the license secret written and verified, Vantiq restarted.</summary>
[TaskName(SecretTargets.RenewLicense)]
[TaskDescription("License renewal --license=FILE --public-key=FILE: NAME.yyyyMMdd archive, license secret written and verified, rollout restart of vantiq")]
[IsDependentOn(typeof(ValidateSecretRenewalTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(InstallSensitiveFilesTask))]
[IsDependentOn(typeof(RegenerateSecretsTask))]
[IsDependentOn(typeof(RestartForSecretsTask))]
[IsDependentOn(typeof(SecretRenewalReportTask))]
public sealed class RenewLicenseTask : FrostingTask
{
}

/// <summary>Back to an archived license set (the newest, or --date=yyyyMMdd).</summary>
[TaskName(SecretTargets.RollbackLicense)]
[TaskDescription("License rollback [--date=yyyyMMdd]: the dated license.key/public.pem renamed back, license secret written, rollout restart of vantiq")]
[IsDependentOn(typeof(ValidateSecretRenewalTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(InstallSensitiveFilesTask))]
[IsDependentOn(typeof(RegenerateSecretsTask))]
[IsDependentOn(typeof(RestartForSecretsTask))]
[IsDependentOn(typeof(SecretRenewalReportTask))]
public sealed class RollbackLicenseTask : FrostingTask
{
}
