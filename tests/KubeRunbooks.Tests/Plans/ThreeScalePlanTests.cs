using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Tasks.ThreeScale;

namespace KubeRunbooks.Tests.Plans;

/// <summary>The decisions of the 3scale plans, from sets and workloads built in memory (no cluster).</summary>
public sealed class ThreeScalePlanTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 9, 5, 7, DateTimeKind.Utc);

    private static ThreeScaleWorkloads Workloads(ThreeScaleSystemDatabase database) => new(database, new Dictionary<string, WorkloadRef>
    {
        [ThreeScaleInstall.SystemApp] = WorkloadRef.DeploymentConfig("3scale", ThreeScaleInstall.SystemApp),
    });

    /// <summary>Every file a backup of an install with <paramref name="database"/> writes, objects included.</summary>
    private static List<BackupFileEntry> Files(ThreeScaleSystemDatabase database)
    {
        var files = new List<BackupFileEntry>
        {
            InMemorySets.File(database == ThreeScaleSystemDatabase.Mysql ? ThreeScaleInstall.MysqlFile : ThreeScaleInstall.PostgresFile),
            InMemorySets.File(ThreeScaleInstall.StorageFile), InMemorySets.File(ThreeScaleInstall.ZyncFile),
            InMemorySets.File(ThreeScaleInstall.BackendRedisFile), InMemorySets.File(ThreeScaleInstall.SystemRedisFile),
        };
        // Written in reverse to show the plan orders them as the seed does, not as the set lists them.
        files.AddRange(ThreeScaleInstall.Secrets.Reverse().Select(n => InMemorySets.File(n + ".json", "secret/" + n)));
        files.AddRange(ThreeScaleInstall.ConfigMaps.Reverse().Select(n => InMemorySets.File(n + ".json", "configmap/" + n)));
        return files;
    }

    private static VerifiedBackupSet Set(IEnumerable<BackupFileEntry> files, string kind = ThreeScaleInstall.BackupKind) =>
        InMemorySets.Set("threescale-20261206-090000", kind, files);

    public sealed class TheRestorePlan
    {
        [Test]
        public void Takes_a_complete_set_with_objects_in_the_seeds_order_and_a_dated_aside_suffix()
        {
            var plan = ThreeScaleRestorePlan.For(new ThreeScaleSettings(), Set(Files(ThreeScaleSystemDatabase.Mysql)), Workloads(ThreeScaleSystemDatabase.Mysql), Now);

            Assert.That(plan.SecretFiles.Select(f => f.Object), Is.EqualTo(ThreeScaleInstall.Secrets.Select(n => "secret/" + n)));
            Assert.That(plan.ConfigMapFiles.Select(f => f.Object), Is.EqualTo(ThreeScaleInstall.ConfigMaps.Select(n => "configmap/" + n)));
            Assert.That(plan.AsideSuffix, Is.EqualTo("-old-20261206-090507"));
            Assert.That(plan.LockNamespace, Is.EqualTo("3scale"));
            Assert.That(plan.Opens!.Anchor, Is.EqualTo(WorkloadRef.DeploymentConfig("3scale", ThreeScaleInstall.SystemApp)));
            Assert.That(plan.Opens.Target, Is.EqualTo(ThreeScaleTargets.Restore));
            Assert.That(plan.Opens.Inputs, Is.EquivalentTo(new Dictionary<string, string> { ["backup"] = "threescale-20261206-090000" }));
            Assert.That(plan.Opens.DeploymentConfigs, Is.Not.Null, "the anchor is a DeploymentConfig: the lock step writes it through that API");
        }

        [Test]
        public void Resumes_an_unfinished_restore_of_the_same_set_and_opens_nothing()
        {
            var unfinished = Unfinished("threescale-20261206-090000");

            var plan = ThreeScaleRestorePlan.For(new ThreeScaleSettings(), Set(Files(ThreeScaleSystemDatabase.Mysql)), Workloads(ThreeScaleSystemDatabase.Mysql), Now, unfinished);

            Assert.That(plan.Opens, Is.Null);
            Assert.That(plan.Ledger.Resumed, Is.SameAs(unfinished));
            Assert.That(plan.AsideSuffix, Is.EqualTo("-old-20261206-090507"), "the rerun keeps aside under a name of its own");
        }

        [Test]
        public void Refuses_another_set_while_a_restore_is_unfinished_naming_what_it_kept_aside()
        {
            var refused = Assert.Throws<InvalidInputException>(() => ThreeScaleRestorePlan.For(new ThreeScaleSettings(),
                Set(Files(ThreeScaleSystemDatabase.Mysql)), Workloads(ThreeScaleSystemDatabase.Mysql), Now, Unfinished("threescale-20261201-010000")));

            Assert.That(refused!.Message, Does.Contain("deploymentconfig 3scale/system-app records an unfinished ThreeScaleRestore backup=threescale-20261201-010000")
                .And.Contain("kept aside backend-redis: /var/lib/redis/data/dump.rdb-old-20261201-093000, /var/lib/redis/data/appendonlydir-old-20261201-093000")
                .And.Contain("run ThreeScaleRestore --backup=threescale-20261201-010000 again to finish it first; nothing was changed"));
            Assert.That(refused.Message, Does.Not.Contain("system-redis"), "a load whose files were moved back keeps nothing aside");
        }

        private static KubeRunbooks.Runbooks.Ledger.OperationRecord Unfinished(string set) =>
            new KubeRunbooks.Runbooks.Ledger.OperationRecord
            {
                Target = ThreeScaleTargets.Restore, Run = "run-1", StartedAt = new DateTimeOffset(Now.AddHours(-1)),
                Inputs = new Dictionary<string, string> { ["backup"] = set },
            }
            .WithTaken("movedAside:backend-redis:-old-20261201-093000", "/var/lib/redis/data/dump.rdb-old-20261201-093000, /var/lib/redis/data/appendonlydir-old-20261201-093000")
            .WithTaken("movedAside:system-redis:-old-20261201-093000", "");

        [Test]
        public void Refuses_a_set_whose_system_database_is_of_the_other_kind_naming_the_clusters()
        {
            var refused = Assert.Throws<InvalidInputException>(() =>
                ThreeScaleRestorePlan.For(new ThreeScaleSettings(), Set(Files(ThreeScaleSystemDatabase.Mysql)), Workloads(ThreeScaleSystemDatabase.Postgres), Now));

            Assert.That(refused!.Message, Does.Contain($"lacks {ThreeScaleInstall.PostgresFile}").And.Contain($"the cluster's system database is {ThreeScaleInstall.SystemDatabase}"));
        }

        [Test]
        public void Refuses_a_set_missing_a_redis_dump()
        {
            var files = Files(ThreeScaleSystemDatabase.Postgres).Where(f => f.Name != ThreeScaleInstall.BackendRedisFile);

            var refused = Assert.Throws<InvalidInputException>(() =>
                ThreeScaleRestorePlan.For(new ThreeScaleSettings(), Set(files), Workloads(ThreeScaleSystemDatabase.Postgres), Now));

            Assert.That(refused!.Message, Does.Contain($"lacks {ThreeScaleInstall.BackendRedisFile}; nothing was changed"));
        }

        [Test]
        public void Refuses_a_set_without_the_redis_configmap_the_restore_edits()
        {
            var files = Files(ThreeScaleSystemDatabase.Mysql).Where(f => f.Object != "configmap/" + ThreeScaleInstall.RedisConfigMap);

            var refused = Assert.Throws<InvalidInputException>(() =>
                ThreeScaleRestorePlan.For(new ThreeScaleSettings(), Set(files), Workloads(ThreeScaleSystemDatabase.Mysql), Now));

            Assert.That(refused!.Message, Does.Contain($"lacks configmap {ThreeScaleInstall.RedisConfigMap}"));
        }

        [Test]
        public void Refuses_a_set_of_another_kind()
        {
            var refused = Assert.Throws<InvalidInputException>(() =>
                ThreeScaleRestorePlan.For(new ThreeScaleSettings(), Set(Files(ThreeScaleSystemDatabase.Mysql), kind: "exastro"), Workloads(ThreeScaleSystemDatabase.Mysql), Now));

            Assert.That(refused!.Message, Does.Contain("is a 'exastro' backup, not a 3scale"));
        }
    }

    public sealed class TheBackupPlan
    {
        [Test]
        public void Locks_the_install_namespace_and_opens_no_operation()
        {
            var plan = new ThreeScaleBackupPlan
            {
                Settings = new ThreeScaleSettings { Namespace = "apim" }, Cluster = "prod", BackupFolder = "/b", Workloads = Workloads(ThreeScaleSystemDatabase.Mysql),
                Keep = 1, Schedule = KubeRunbooks.Clusters.WeeklySchedule.Empty,
            };

            Assert.That(plan.LockNamespace, Is.EqualTo("apim"));
            Assert.That(plan.Opens, Is.Null);
        }
    }
}
