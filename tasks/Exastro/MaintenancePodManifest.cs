using k8s.Models;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's maintenance pod (メンテナンス用コンテナの作成), field for field: <c>sh -c "sleep 3600"</c> in
/// <c>mariadb:10.9</c> with the database and storage settings as env from the ConfigMaps and Secrets, user 1000 (not
/// root, no privilege escalation) and the storage claim at <c>/storage</c>. Names come from the profile.
/// </summary>
public static class MaintenancePodManifest
{
    /// <summary>The maintenance pod's purpose: the value of its <see cref="KubeRunbooks.Kubernetes.Pods.TransientPod.Label"/>.</summary>
    public const string Purpose = "maintenance";

    /// <summary>Where the storage claim is mounted.</summary>
    public const string StorageMount = "/storage";

    /// <summary>The manifest for <paramref name="settings"/>.</summary>
    public static V1Pod For(ExastroSettings settings) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = settings.MaintenancePod, NamespaceProperty = settings.Namespace },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = settings.MaintenancePod,
                    Command = ["sh", "-c"],
                    Args = ["#!/bin/bash\nsleep 3600\n"],
                    Env =
                    [
                        FromConfigMap("PF_DB_DATABASE", "DB_DATABASE", settings.PlatformDatabaseParams),
                        FromConfigMap("PF_DB_HOST", "DB_HOST", settings.PlatformDatabaseParams),
                        FromConfigMap("PF_DB_PORT", "DB_PORT", settings.PlatformDatabaseParams),
                        FromSecret("PF_DB_ADMIN_PASSWORD", "DB_ADMIN_PASSWORD", settings.PlatformDatabaseSecret),
                        FromSecret("PF_DB_ADMIN_USER", "DB_ADMIN_USER", settings.PlatformDatabaseSecret),
                        FromConfigMap("ITA_DB_DATABASE", "DB_DATABASE", settings.ItaDatabaseParams),
                        FromConfigMap("ITA_DB_HOST", "DB_HOST", settings.ItaDatabaseParams),
                        FromConfigMap("ITA_DB_PORT", "DB_PORT", settings.ItaDatabaseParams),
                        FromConfigMap("ITA_STORAGEPATH", "STORAGEPATH", settings.ItaGlobalParams),
                        FromSecret("ITA_DB_ADMIN_PASSWORD", "DB_ADMIN_PASSWORD", settings.ItaDatabaseSecret),
                        FromSecret("ITA_DB_ADMIN_USER", "DB_ADMIN_USER", settings.ItaDatabaseSecret),
                    ],
                    Image = settings.MaintenanceImage,
                    ImagePullPolicy = "IfNotPresent",
                    Resources = new V1ResourceRequirements(),
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        ReadOnlyRootFilesystem = false,
                        RunAsGroup = 1000,
                        RunAsNonRoot = true,
                        RunAsUser = 1000,
                    },
                    VolumeMounts = [new V1VolumeMount { MountPath = StorageMount, Name = "volume-ita-backup-storage" }],
                },
            ],
            Volumes = [new V1Volume { Name = "volume-ita-backup-storage", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = settings.StorageClaim } }],
            RestartPolicy = "Always",
            SecurityContext = new V1PodSecurityContext(),
            ServiceAccount = "default",
            ServiceAccountName = "default",
        },
    };

    private static V1EnvVar FromConfigMap(string name, string key, string map) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = key, Name = map } } };

    private static V1EnvVar FromSecret(string name, string key, string secret) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = key, Name = secret } } };
}
