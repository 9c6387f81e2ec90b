namespace CreationWorkflow.Web.Scoring;

/// <summary>
/// Demo only: 市民宗委 proposes facts for a handful of the items it leads, and the office reviews some of them (采纳,
/// 调整, 退回) — through <see cref="ItemReviews"/>, audited like any other — so the assessment pages show content.
/// </summary>
public static class AssessmentDemo
{
    public const string Unit = "市民宗委";

    public static async Task SeedAsync(IServiceProvider services, Guid campaignId, CancellationToken ct)
    {
        var assessment = services.GetRequiredService<ItemReviews>();
        var (campaign, programme) = await services.GetRequiredService<Campaigns.CampaignLoader>().LoadAsync(campaignId, ct);
        var led = programme.Items.Where(i => programme.LeadsOf(i.No.ToString()).Contains(Unit))
            .OrderBy(i => i.LeadUnits.Count).ThenBy(i => i.No).Take(5).ToList();
        foreach (var item in led)
        {
            var facts = new Facts
            {
                Checks = item.Rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true),
                Rates = item.Rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 86m),
                Counts = item.Rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min),
            };
            await assessment.ProposeAsync(campaign.Id, "", item.No.ToString(), new ItemFacts(facts), $"{Unit}（演示）", ct);
        }
        var office = Demo.DemoSeeder.Actor;
        for (var i = 0; i < led.Count; i++)
        {
            var item = led[i];
            var key = item.No.ToString();
            ReviewDecision? decision = i switch
            {
                0 or 1 => new ReviewDecision("accept"),
                2 when item.Rules.OfType<CheckRule>().FirstOrDefault() is { } first => new ReviewDecision("adjust", "部分佐证材料未体现年度工作成效，按未达到计",
                    new ItemFacts(new Facts { Checks = item.Rules.OfType<CheckRule>().ToDictionary(r => r.Id, r => r.Id != first.Id) })),
                3 => new ReviewDecision("return", "请补充佐证材料（会议纪要、照片）后重新报送"),
                _ => null,
            };
            if (decision is not null)
            {
                await assessment.ReviewAsync(campaign.Id, "", key, decision, office, ct);
            }
        }
    }
}
