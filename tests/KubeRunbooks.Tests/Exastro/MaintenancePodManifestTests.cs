using k8s;
using k8s.Models;
using KubeRunbooks.Tasks.Exastro;

namespace KubeRunbooks.Tests.Exastro;

/// <summary>The maintenance pod is the seed's manifest (メンテナンス用コンテナの作成) field for field, names from the profile.</summary>
[TestFixture]
public sealed class MaintenancePodManifestTests
{
    // Copied from seed 001 (the backup's and the restore's manifests are the same).
    private const string SeedManifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: exastro-maintenance
          namespace: exastro
        spec:
          containers:
          - command:
            - sh
            - -c
            args:
            - |
              #!/bin/bash
              sleep 3600
            env:
            - name: PF_DB_DATABASE
              valueFrom:
                configMapKeyRef:
                  key: DB_DATABASE
                  name: platform-params-pf-database
            - name: PF_DB_HOST
              valueFrom:
                configMapKeyRef:
                  key: DB_HOST
                  name: platform-params-pf-database
            - name: PF_DB_PORT
              valueFrom:
                configMapKeyRef:
                  key: DB_PORT
                  name: platform-params-pf-database
            - name: PF_DB_ADMIN_PASSWORD
              valueFrom:
                secretKeyRef:
                  key: DB_ADMIN_PASSWORD
                  name: platform-secret-pf-database
            - name: PF_DB_ADMIN_USER
              valueFrom:
                secretKeyRef:
                  key: DB_ADMIN_USER
                  name: platform-secret-pf-database
            - name: ITA_DB_DATABASE
              valueFrom:
                configMapKeyRef:
                  key: DB_DATABASE
                  name: ita-params-ita-database
            - name: ITA_DB_HOST
              valueFrom:
                configMapKeyRef:
                  key: DB_HOST
                  name: ita-params-ita-database
            - name: ITA_DB_PORT
              valueFrom:
                configMapKeyRef:
                  key: DB_PORT
                  name: ita-params-ita-database
            - name: ITA_STORAGEPATH
              valueFrom:
                configMapKeyRef:
                  key: STORAGEPATH
                  name: ita-params-ita-global
            - name: ITA_DB_ADMIN_PASSWORD
              valueFrom:
                secretKeyRef:
                  key: DB_ADMIN_PASSWORD
                  name: ita-secret-ita-database
            - name: ITA_DB_ADMIN_USER
              valueFrom:
                secretKeyRef:
                  key: DB_ADMIN_USER
                  name: ita-secret-ita-database
            image: mariadb:10.9
            imagePullPolicy: IfNotPresent
            name: exastro-maintenance
            resources: {}
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: false
              runAsGroup: 1000
              runAsNonRoot: true
              runAsUser: 1000
            volumeMounts:
            - mountPath: /storage
              name: volume-ita-backup-storage
          volumes:
          - name: volume-ita-backup-storage
            persistentVolumeClaim:
              claimName: pvc-ita-global
          restartPolicy: Always
          securityContext: {}
          serviceAccount: default
          serviceAccountName: default
        """;

    [Test]
    public void The_default_profile_gives_exactly_the_seeds_manifest()
    {
        var seed = KubernetesYaml.Deserialize<V1Pod>(SeedManifest);

        var ours = MaintenancePodManifest.For(new ExastroSettings());

        Assert.That(KubernetesYaml.Serialize(ours), Is.EqualTo(KubernetesYaml.Serialize(seed)));
    }

    [Test]
    public void Profile_names_replace_the_seeds_names()
    {
        var ours = MaintenancePodManifest.For(new ExastroSettings { Namespace = "ita", MaintenancePod = "maint", StorageClaim = "pvc-x", PlatformDatabaseSecret = "pf-secret" });

        Assert.Multiple(() =>
        {
            Assert.That(ours.Metadata.NamespaceProperty, Is.EqualTo("ita"));
            Assert.That(ours.Metadata.Name, Is.EqualTo("maint"));
            Assert.That(ours.Spec.Volumes.Single().PersistentVolumeClaim.ClaimName, Is.EqualTo("pvc-x"));
            Assert.That(ours.Spec.Containers.Single().Env.Single(e => e.Name == "PF_DB_ADMIN_PASSWORD").ValueFrom.SecretKeyRef.Name, Is.EqualTo("pf-secret"));
        });
    }
}
