using Microsoft.Extensions.DependencyInjection;
using SituationMap.Server.Privacy;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("报警人电话13912345678，请回电", "报警人电话[PHONE]，请回电")]
    [InlineData("call +86 139 1234 5678 now", "call [PHONE] now")]
    [InlineData("座机 0313-8123456", "座机 [PHONE]")]
    [InlineData("身份证号130702199003071234", "身份证号[ID]")]
    [InlineData("ID 13070219900307123X found", "ID [ID] found")]
    [InlineData("mail wang.li@example.com please", "mail [EMAIL] please")]
    [InlineData("车牌冀G12345驶离", "车牌[PLATE]驶离")]
    [InlineData("姓名：王小明，男", "姓名：[NAME]，男")]
    [InlineData("Caller: John Smith reports", "Caller: [NAME] reports")]
    [InlineData("张先生称钱包被盗", "[NAME]先生称钱包被盗")]
    [InlineData("card 6222021234567890123", "card [NUMBER]")]
    public void PersonalDataIsReplacedByItsKind(string text, string redacted) => Assert.Equal(redacted, PersonalDataRedactor.Redact(text));

    [Theory]
    [InlineData("东环路6号附近发生两车剐蹭")]
    [InlineData("Parking dispute on the square at 21:30, 3 people")]
    [InlineData("severity 4, 12 units dispatched")]
    public void OrdinaryTextIsLeftAlone(string text) => Assert.Equal(text, PersonalDataRedactor.Redact(text));
}

public sealed class RetentionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ClosedIncidentsLoseTheirFreeTextAfterTheRetentionPeriodAndKeepEverythingElse()
    {
        var client = server.CreateClient();
        var old = await client.CreateAsync("incidents", Incident(category: "fraud", occurredAt: DateTimeOffset.UtcNow.AddDays(-400)).With("description", "老案件 13912345678")
            .With("address", "王小明家 东环路6号"));
        var addressOnly = await client.CreateAsync("incidents", Incident(occurredAt: DateTimeOffset.UtcNow.AddDays(-400)).With("description", null).With("address", "李女士家 西街3号"));
        var open = await client.CreateAsync("incidents", Incident(occurredAt: DateTimeOffset.UtcNow.AddDays(-400)).With("description", "still open"));
        var recent = await client.CreateAsync("incidents", Incident().With("description", "recent"));
        await server.Database.ExecuteAsync($"UPDATE incidents SET status = 'closed' WHERE id IN ({old.Id()}, {recent.Id()}, {addressOnly.Id()})");

        var purged = await server.Services.GetRequiredService<RetentionPurge>().PurgeAsync(CancellationToken.None);
        Assert.Equal(2, purged);
        var stored = await (await client.GetAsync($"/api/incidents/{old.Id()}")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("properties").GetProperty("description").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("properties").GetProperty("address").ValueKind);
        var storedAddressOnly = await (await client.GetAsync($"/api/incidents/{addressOnly.Id()}")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, storedAddressOnly.GetProperty("properties").GetProperty("address").ValueKind);
        Assert.Equal("Test road near No. 1", (await (await client.GetAsync($"/api/incidents/{recent.Id()}")).JsonAsync()).GetProperty("properties").GetProperty("address").GetString());
        Assert.Equal("fraud", stored.GetProperty("properties").GetProperty("category").GetString());
        Assert.Equal("Point", stored.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("still open", (await (await client.GetAsync($"/api/incidents/{open.Id()}")).JsonAsync()).GetProperty("properties").GetProperty("description").GetString());
        Assert.Equal("recent", (await (await client.GetAsync($"/api/incidents/{recent.Id()}")).JsonAsync()).GetProperty("properties").GetProperty("description").GetString());
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'retention_purge' AND actor = 'system:retention'"));
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE before::text LIKE '%13912345678%' OR after::text LIKE '%13912345678%'"));
    }

    [Fact]
    public async Task ExportsRedactPersonalDataUnlessAskedNotTo()
    {
        var client = server.CreateClient();
        await client.CreateAsync("incidents", Incident(category: "robbery").With("description", "报警人李女士 电话13812345678"));
        var redacted = await client.GetStringAsync("/api/incidents/export.csv?category=robbery");
        Assert.Contains("报警人[NAME]女士 电话[PHONE]", redacted);
        Assert.DoesNotContain("13812345678", redacted);
        var plain = await client.GetStringAsync("/api/incidents/export.csv?category=robbery&redact=false");
        Assert.Contains("13812345678", plain);
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export' AND detail->>'redacted' = 'false'"));
    }
}
