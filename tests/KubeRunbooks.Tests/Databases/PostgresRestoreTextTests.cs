using KubeRunbooks.Databases.Postgres;

namespace KubeRunbooks.Tests.Databases;

/// <summary>The restore's error sorting and the quoting of SQL the tool writes.</summary>
[TestFixture]
public sealed class PostgresRestoreTextTests
{
    [Test]
    public void Only_the_connecting_superusers_create_role_error_is_expected()
    {
        var (expected, unexpected) = PsqlRestoreErrors.Split(
        [
            "psql:<stdin>:16: ERROR:  role \"postgres\" already exists",
            "psql:<stdin>:17: ERROR:  role \"kqi_app\" already exists",
            "psql:<stdin>:90: ERROR:  relation \"notes\" does not exist",
        ], "postgres");

        Assert.Multiple(() =>
        {
            Assert.That(expected, Has.Count.EqualTo(1).And.All.Contain("\"postgres\""));
            Assert.That(unexpected, Has.Count.EqualTo(2), "another role existing means the server was not fresh");
        });
    }

    [TestCase("plain", "'plain'")]
    [TestCase("it's", "'it''s'")]
    [TestCase("back\\slash \"q\" ✓", "'back\\slash \"q\" ✓'")]
    public void A_literal_doubles_only_single_quotes(string text, string literal) =>
        Assert.That(PostgresSql.Literal(text), Is.EqualTo(literal));

    [Test]
    public void An_identifier_doubles_double_quotes_and_a_nul_is_refused()
    {
        Assert.That(PostgresSql.Identifier("we\"ird"), Is.EqualTo("\"we\"\"ird\""));
        Assert.Throws<ArgumentException>(() => PostgresSql.Literal("a\0b"));
    }
}
