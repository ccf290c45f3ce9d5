using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Tasks.Kamonohashi;

namespace KubeRunbooks.Tests.Plans;

/// <summary>The decisions of the KAMONOHASHI plans that need no cluster: arguments, new secret values, set contents, names.</summary>
public sealed class KamonohashiPlanTests
{
    public sealed class TheBackupSchedulePlan
    {
        [Test]
        public void Takes_a_schedule_and_a_keep()
        {
            var (schedule, keep) = BackupSchedulePlan.ParseArguments("Sun=01:00:00;Wed=13:30:00", "7");

            Assert.That(schedule!.ToString(), Is.EqualTo("Sun=01:00:00;Wed=13:30:00"));
            Assert.That(keep, Is.EqualTo(7));
        }

        [Test]
        public void Takes_either_alone()
        {
            Assert.That(BackupSchedulePlan.ParseArguments(null, "3"), Is.EqualTo(((KubeRunbooks.Clusters.WeeklySchedule?)null, (int?)3)));
            Assert.That(BackupSchedulePlan.ParseArguments("Mon=02:00:00", null).Keep, Is.Null);
        }

        [Test]
        public void Requires_one_of_them()
        {
            var refused = Assert.Throws<InvalidInputException>(() => BackupSchedulePlan.ParseArguments(null, null));

            Assert.That(refused!.Message, Does.Contain("and/or --keep=N is required"));
        }

        [Test]
        public void Refuses_an_empty_schedule()
        {
            var refused = Assert.Throws<InvalidInputException>(() => BackupSchedulePlan.ParseArguments("", null));

            Assert.That(refused!.Message, Does.StartWith("--schedule is empty"));
        }

        [TestCase("Sun=25:00:00")]
        [TestCase("Sunday 1am")]
        public void Refuses_a_malformed_schedule_quoting_it(string text)
        {
            var refused = Assert.Throws<InvalidInputException>(() => BackupSchedulePlan.ParseArguments(text, null));

            Assert.That(refused!.Message, Does.StartWith($"--schedule=\"{text}\""));
        }

        [TestCase("0")]
        [TestCase("1001")]
        [TestCase("-1")]
        [TestCase("two")]
        [TestCase("")]
        public void Refuses_a_keep_outside_1_to_1000(string text)
        {
            var refused = Assert.Throws<InvalidInputException>(() => BackupSchedulePlan.ParseArguments(null, text));

            Assert.That(refused!.Message, Does.Contain("is not a number of backups to keep from 1 to 1000"));
        }

        [Test]
        public void Describes_a_change_from_the_applications_default()
        {
            var change = new SettingChange(BackupTimerSettings.WeeklyTimeSchedule, null, "Mon=02:00:00");

            Assert.That(change.Describe(BackupSchedulePlan.DefaultOf(change.Key)),
                Is.EqualTo($"{BackupTimerSettings.WeeklyTimeSchedule}: unset (default Sun=01:00:00) -> Mon=02:00:00"));
            Assert.That(BackupSchedulePlan.DefaultOf(BackupTimerSettings.MaxNumberOfBackupFiles), Is.EqualTo("1"));
        }
    }

    public sealed class TheDatabasePasswordPlan
    {
        [Test]
        public void Takes_a_new_password()
        {
            Assert.DoesNotThrow(() => DatabasePasswordPlan.RequireNewPassword("n3w pässword", "old-password"));
        }

        [Test]
        public void Refuses_the_password_in_use_without_echoing_it()
        {
            var refused = Assert.Throws<InvalidInputException>(() => DatabasePasswordPlan.RequireNewPassword("same-secret-9", "same-secret-9"));

            Assert.That(refused!.Message, Does.Contain("is the one in use").And.Not.Contain("same-secret-9"));
        }

        [TestCase("line\nbreak")]
        [TestCase("nul\0char")]
        public void Refuses_what_an_env_value_cannot_carry(string value)
        {
            var refused = Assert.Throws<InvalidInputException>(() => DatabasePasswordPlan.RequireNewPassword(value, "old"));

            Assert.That(refused!.Message, Does.Contain("line break or NUL").And.Not.Contain(value));
        }
    }

    public sealed class TheStorageKeyRotationPlan
    {
        [Test]
        public void Takes_a_new_key_of_8_characters()
        {
            Assert.DoesNotThrow(() => StorageKeyRotationPlan.RequireNewKey("12345678", "old-key-123", "minio-credential"));
        }

        [TestCase("short7!")]
        [TestCase("has\ttab-inside")]
        public void Refuses_a_key_minio_would_refuse(string value)
        {
            var refused = Assert.Throws<InvalidInputException>(() => StorageKeyRotationPlan.RequireNewKey(value, "old-key-123", "minio-credential"));

            Assert.That(refused!.Message, Does.Contain("at least 8 characters").And.Not.Contain(value));
        }

        [Test]
        public void Refuses_the_key_the_secret_holds()
        {
            var refused = Assert.Throws<InvalidInputException>(() => StorageKeyRotationPlan.RequireNewKey("old-key-123", "old-key-123", "minio-credential"));

            Assert.That(refused!.Message, Does.Contain("is the one minio-credential already holds").And.Not.Contain("old-key-123"));
        }
    }

    public sealed class TheStorageRestorePlan
    {
        [Test]
        public void Restores_the_one_archive_of_a_storage_set()
        {
            var set = InMemorySets.Set("kqi-storage-1", StorageBackupPlan.SetKind, [InMemorySets.File("kqi-storage-20261206.tar.gz", content: BackupContent.Tar), InMemorySets.File("tree.json")]);

            Assert.That(StorageRestorePlan.ArchiveOf(set), Is.EqualTo("kqi-storage-20261206.tar.gz"));
        }

        [Test]
        public void Refuses_a_set_of_another_kind()
        {
            var set = InMemorySets.Set("postgres-1", "postgres", [InMemorySets.File("a.tar.gz", content: BackupContent.Tar)]);

            var refused = Assert.Throws<InvalidInputException>(() => StorageRestorePlan.ArchiveOf(set));

            Assert.That(refused!.Message, Does.Contain("is a 'postgres' set, not a kqi-storage set"));
        }

        [Test]
        public void Refuses_a_set_with_two_archives()
        {
            var set = InMemorySets.Set("kqi-storage-2", StorageBackupPlan.SetKind,
                [InMemorySets.File("a.tar.gz", content: BackupContent.Tar), InMemorySets.File("b.tar.gz", content: BackupContent.Tar)]);

            var refused = Assert.Throws<InvalidInputException>(() => StorageRestorePlan.ArchiveOf(set));

            Assert.That(refused!.Message, Does.Contain("holds 2 tar archives"));
        }
    }

    public sealed class TheFileNames
    {
        [Test]
        public void Are_the_seeds_dated_names()
        {
            var at = new DateTimeOffset(2026, 12, 6, 23, 30, 0, TimeSpan.FromHours(-3));

            Assert.That(PostgresBackupPlan.FileName(at, compress: false), Is.EqualTo("kqi-backup-20261207.sql"));
            Assert.That(PostgresBackupPlan.FileName(at, compress: true), Is.EqualTo("kqi-backup-20261207.sql.gz"));
            Assert.That(StorageBackupPlan.ArchiveName(at), Is.EqualTo("kqi-storage-20261207.tar.gz"));
        }
    }
}
