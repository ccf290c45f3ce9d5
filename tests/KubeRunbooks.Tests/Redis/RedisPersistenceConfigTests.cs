using KubeRunbooks.Redis;

namespace KubeRunbooks.Tests.Redis;

/// <summary>The redis.conf edits of a dump restore: save lines commented, save "" added, appendonly no, and the readers.</summary>
[TestFixture]
public sealed class RedisPersistenceConfigTests
{
    private const string ThreeScale = "# comment\nsave 900 1\nsave 300 10\n  save 60 10000\nappendonly yes\ndir /var/lib/redis/data\n";

    [Test]
    public void The_seed_edit_comments_every_save_line_turns_save_points_off_and_sets_appendonly_no()
    {
        var edited = RedisPersistenceConfig.WithoutPersistence(ThreeScale);

        Assert.That(edited, Is.EqualTo("# comment\n#save 900 1\n#save 300 10\n#save 60 10000\nappendonly no\ndir /var/lib/redis/data\nsave \"\"\n"));
        Assert.That(RedisPersistenceConfig.AppendOnly(edited), Is.False);
        Assert.That(RedisPersistenceConfig.HasSavePoints(edited), Is.False);
    }

    [Test]
    public void A_file_without_appendonly_gets_appendonly_no_and_line_ends_are_kept()
    {
        var edited = RedisPersistenceConfig.WithoutPersistence("save 900 1\r\nport 6379\r\n");

        Assert.That(edited, Is.EqualTo("#save 900 1\r\nport 6379\r\nsave \"\"\r\nappendonly no\r\n"));
    }

    [TestCase("appendonly yes", true)]
    [TestCase("appendonly no", false)]
    [TestCase("appendonly \"yes\"", true)]
    [TestCase("appendonly yes\nappendonly no", false)]
    [TestCase("port 6379", false)]
    public void AppendOnly_reads_the_last_appendonly_line(string text, bool expected) =>
        Assert.That(RedisPersistenceConfig.AppendOnly(text), Is.EqualTo(expected));

    [TestCase("save 900 1", true)]
    [TestCase("save \"\"", false)]
    [TestCase("#save 900 1", false)]
    [TestCase("save 900 1\nsave \"\"", false)]
    public void HasSavePoints_reads_the_last_save_line(string text, bool expected) =>
        Assert.That(RedisPersistenceConfig.HasSavePoints(text), Is.EqualTo(expected));

    [Test]
    public void The_key_count_of_an_info_keyspace_reply_adds_every_database()
    {
        Assert.That(RedisCli.KeyCount("# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\ndb1:keys=2,expires=1,avg_ttl=5\r\n"), Is.EqualTo(5));
        Assert.That(RedisCli.KeyCount("# Keyspace\r\n"), Is.EqualTo(0));
    }
}
