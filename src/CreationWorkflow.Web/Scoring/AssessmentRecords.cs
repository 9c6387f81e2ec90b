using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Scoring;

/// <summary>Which set of facts: what the lead unit proposed, or what the office's review made count.</summary>
public enum FactLayer { Proposed, Reviewed }

/// <summary>
/// One fact for one rule of a campaign's programme (a check, a rate, a count, people, a case, a condition), for one
/// subject: the city itself ("") or, in a unit assessment, the assessed unit. Scores are never stored: they are
/// always computed from these facts by the rules.
/// </summary>
public sealed class FactRecord : Data.ICampaignData
{
    public long Id { get; set; }
    public Guid CampaignId { get; set; }
    public string Subject { get; set; } = "";
    public FactLayer Layer { get; set; }
    public required string RuleId { get; set; }

    /// <summary>check · condition · rate · count · people · case · staffSize · titleLevel · flag</summary>
    public required string Kind { get; set; }

    /// <summary>The value as JSON: true, 85.5, 3, {"required":10,"actual":8}, {"content":"…","level":"national","category":"ethnic"}.</summary>
    public required string Value { get; set; }

    /// <summary>Where a third-party result comes from (survey, date, sample), for 第三方评估 rates.</summary>
    public string? Source { get; set; }

    /// <summary>Evidence files (台账) behind this fact, as a JSON array of evidence file ids.</summary>
    public string Evidence { get; set; } = "[]";

    public required string EnteredBy { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
}

/// <summary>The office's review of one item's (or bonus/penalty item's) proposed facts.</summary>
public sealed class ItemReviewRecord : Data.ICampaignData
{
    public long Id { get; set; }
    public Guid CampaignId { get; set; }
    public string Subject { get; set; } = "";

    /// <summary>"7" for item 7, "B3" for bonus 3, "P1" for penalty 1, "N1" for the negative list.</summary>
    public required string Item { get; set; }

    public ReviewState State { get; set; }
    public string? Reason { get; set; }
    public required string ProposedBy { get; set; }
    public DateTimeOffset ProposedAt { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public int Revision { get; set; }
}

internal sealed class FactConfiguration : IEntityTypeConfiguration<FactRecord>
{
    public void Configure(EntityTypeBuilder<FactRecord> b)
    {
        b.ToTable("facts");
        b.Property(f => f.Subject).HasMaxLength(100);
        b.Property(f => f.Kind).HasMaxLength(16);
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(f => f.CampaignId);
        b.HasIndex(f => new { f.CampaignId, f.Subject, f.Layer, f.RuleId });
    }
}

internal sealed class ItemReviewConfiguration : IEntityTypeConfiguration<ItemReviewRecord>
{
    public void Configure(EntityTypeBuilder<ItemReviewRecord> b)
    {
        b.ToTable("item_reviews");
        b.Property(r => r.Subject).HasMaxLength(100);
        b.Property(r => r.Item).HasMaxLength(8);
        b.Property(r => r.Revision).IsConcurrencyToken();
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(r => r.CampaignId);
        b.HasIndex(r => new { r.CampaignId, r.Subject, r.Item }).IsUnique();
    }
}
