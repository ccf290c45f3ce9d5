using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tasks.Exastro;

namespace KubeRunbooks.Tests.Plans;

/// <summary>The decisions of the Exastro plans, from installs and sets built in memory (no cluster).</summary>
public sealed class ExastroPlanTests
{
    private static OperationRecord Unfinished(string target, string? backup = null) => new()
    {
        Target = target,
        Run = "run-1",
        StartedAt = DateTimeOffset.UnixEpoch,
        Inputs = backup is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["backup"] = backup },
    };

    public sealed class TheDecideMethod
    {
        [Test]
        public void Resumes_the_same_target_with_the_same_set()
        {
            var fixture = new ExastroPlanFixture { Unfinished = Unfinished(ExastroTargets.Restore, "exastro-1") };

            Assert.That(fixture.Decide(ExastroTargets.Restore, new Dictionary<string, string> { ["backup"] = "exastro-1" }).Action, Is.EqualTo(LedgerAction.Resume));
        }

        [Test]
        public void Refuses_a_restore_of_another_set_saying_how_to_finish()
        {
            var fixture = new ExastroPlanFixture { Unfinished = Unfinished(ExastroTargets.Restore, "exastro-1") };

            var refused = Assert.Throws<InvalidInputException>(() => fixture.Decide(ExastroTargets.Restore, new Dictionary<string, string> { ["backup"] = "exastro-2" }));

            Assert.That(refused!.Message, Does.Contain("platform-auth").And.Contain("run that target again to finish it").And.Contain("--fresh"));
        }

        [Test]
        public void Refuses_another_target_even_a_backup()
        {
            var fixture = new ExastroPlanFixture { Unfinished = Unfinished(ExastroTargets.Restore, "exastro-1") };

            Assert.Throws<InvalidInputException>(() => fixture.Decide(ExastroTargets.Backup));
            Assert.That(fixture.Decide(ExastroTargets.Backup, fresh: true).Action, Is.EqualTo(LedgerAction.Open));
        }
    }

    public sealed class TheBackupPlan
    {
        [Test]
        public void Opens_an_operation_on_the_reverse_proxy_in_the_install_namespace()
        {
            var fixture = new ExastroPlanFixture();

            var plan = ExastroBackupPlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Backup), "/work/backups");

            Assert.That(plan.Opens!.Anchor.Name, Is.EqualTo("platform-auth"));
            Assert.That(plan.Opens.Inputs, Is.Empty);
            Assert.That(plan.LockNamespace, Is.EqualTo("exastro"));
            Assert.That(plan.BackupFolder, Is.EqualTo("/work/backups"));
            Assert.That(plan.RerunCommand, Is.EqualTo("./build.sh --target=ExastroBackup --cluster=prod"));
        }

        [Test]
        public void Refuses_a_profile_naming_no_encryption_key()
        {
            var fixture = new ExastroPlanFixture { Settings = new ExastroSettings { EncryptionKeySecrets = [] } };

            var refused = Assert.Throws<InvalidInputException>(() => ExastroBackupPlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Backup), "/b"));

            Assert.That(refused!.Message, Does.StartWith("exastro.encryptionKeySecrets is empty"));
        }
    }

    public sealed class TheRestorePlan
    {
        [Test]
        public void Matches_each_server_to_its_user_and_database_dump_in_the_seeds_order()
        {
            var fixture = new ExastroPlanFixture { Separate = true };
            var set = ExastroPlanFixture.Set(ExastroPlanFixture.SetFiles(separate: true));

            var plan = ExastroRestorePlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Restore), set);

            Assert.That(plan.Dumps.Select(d => (d.Database.Role, d.UserFile, d.DatabaseFile)), Is.EqualTo(new[]
            {
                ("platform", $"exastro_mysqldump_platform_user_{ExastroPlanFixture.Stamp}.sql.gz", $"exastro_mysqldump_platform_db_{ExastroPlanFixture.Stamp}.sql.gz"),
                ("ita", $"exastro_mysqldump_ita_user_{ExastroPlanFixture.Stamp}.sql.gz", $"exastro_mysqldump_ita_db_{ExastroPlanFixture.Stamp}.sql.gz"),
            }));
            Assert.That(plan.StorageFile, Is.EqualTo($"exastro_storage_backup_ita_{ExastroPlanFixture.Stamp}.tar.gz"));
            Assert.That(plan.KeyFiles, Is.EqualTo(new[] { "exastro_encrypt_key_ita-secret-ita-global.json" }));
            Assert.That(plan.Opens!.Inputs, Is.EquivalentTo(new Dictionary<string, string> { ["backup"] = "exastro-" + ExastroPlanFixture.Stamp }));
            Assert.That(plan.RerunCommand, Is.EqualTo($"./build.sh --target=ExastroRestore --cluster=prod --backup=exastro-{ExastroPlanFixture.Stamp}"));
        }

        [Test]
        public void Refuses_a_set_of_another_kind()
        {
            var fixture = new ExastroPlanFixture();

            var refused = Assert.Throws<InvalidInputException>(() =>
                ExastroRestorePlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Restore), ExastroPlanFixture.Set(ExastroPlanFixture.SetFiles(false), kind: "postgres")));

            Assert.That(refused!.Message, Does.Contain("is a postgres backup, not an ExastroBackup set"));
        }

        [Test]
        public void Refuses_a_set_of_separate_servers_for_a_shared_server()
        {
            var fixture = new ExastroPlanFixture();

            var refused = Assert.Throws<InvalidInputException>(() =>
                ExastroRestorePlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Restore), ExastroPlanFixture.Set(ExastroPlanFixture.SetFiles(separate: true))));

            Assert.That(refused!.Message, Does.Contain("was taken with a separate ITA database server"));
        }

        [Test]
        public void Refuses_a_set_of_a_shared_server_for_separate_servers()
        {
            var fixture = new ExastroPlanFixture { Separate = true };

            var refused = Assert.Throws<InvalidInputException>(() =>
                ExastroRestorePlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Restore), ExastroPlanFixture.Set(ExastroPlanFixture.SetFiles(separate: false))));

            Assert.That(refused!.Message, Does.Contain("holds no ita user dump").And.Contain("separate database servers"));
        }

        [Test]
        public void Refuses_a_set_without_the_encryption_key()
        {
            var fixture = new ExastroPlanFixture();
            var files = ExastroPlanFixture.SetFiles(false).Where(f => !f.StartsWith(ExastroFiles.EncryptionKeyPrefix, StringComparison.Ordinal));

            var refused = Assert.Throws<InvalidInputException>(() => ExastroRestorePlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Restore), ExastroPlanFixture.Set(files)));

            Assert.That(refused!.Message, Does.Contain("holds no encryption key"));
        }

        [Test]
        public void Refuses_a_set_with_two_storage_archives()
        {
            var fixture = new ExastroPlanFixture();
            var files = ExastroPlanFixture.SetFiles(false).Append(ExastroFiles.Storage("20261202-030000"));

            var refused = Assert.Throws<InvalidInputException>(() => ExastroRestorePlan.For(fixture.Install(), fixture.Decide(ExastroTargets.Restore), ExastroPlanFixture.Set(files)));

            Assert.That(refused!.Message, Does.Contain("holds 2 files exastro_storage_backup_ita_").And.Contain("one was expected"));
        }
    }
}
