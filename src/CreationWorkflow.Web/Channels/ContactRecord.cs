using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Channels;

/// <summary>Who a unit's contact is: 联络员 (reminders) or 分管领导 (escalations).</summary>
public enum ContactRole { Liaison, Leader }

/// <summary>
/// One contact of a unit in a programme's directory, with the channels that reach it. The robot URLs carry their
/// access keys and the secrets sign messages, so those columns hold Data Protection ciphertext (<see cref="ContactSecrets"/>),
/// never the clear text.
/// </summary>
public sealed class ContactRecord
{
    public int Id { get; set; }
    public required string ProgrammeId { get; set; }
    public required string UnitName { get; set; }
    public ContactRole Role { get; set; }
    public required string Name { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }

    /// <summary>企业微信 群机器人 webhook URL (…/cgi-bin/webhook/send?key=…), protected.</summary>
    public string? WeComWebhookProtected { get; set; }

    /// <summary>钉钉 自定义机器人 URL (…/robot/send?access_token=…), protected.</summary>
    public string? DingTalkWebhookProtected { get; set; }

    /// <summary>钉钉 加签 secret (SEC…), protected.</summary>
    public string? DingTalkSecretProtected { get; set; }

    /// <summary>A generic webhook (浙政钉, a 12345 system …), protected.</summary>
    public string? WebhookUrlProtected { get; set; }

    /// <summary>The webhook's shared HMAC secret, protected.</summary>
    public string? WebhookSecretProtected { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<ContactRecord>
{
    public void Configure(EntityTypeBuilder<ContactRecord> b)
    {
        b.ToTable("unit_contacts");
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.Phone).HasMaxLength(50);
        b.Property(c => c.Email).HasMaxLength(254);
        foreach (var p in new[] { nameof(ContactRecord.WeComWebhookProtected), nameof(ContactRecord.DingTalkWebhookProtected),
            nameof(ContactRecord.DingTalkSecretProtected), nameof(ContactRecord.WebhookUrlProtected), nameof(ContactRecord.WebhookSecretProtected) })
        {
            b.Property(p).HasMaxLength(2000);
        }
        b.HasIndex(c => new { c.ProgrammeId, c.UnitName, c.Role }).IsUnique();
    }
}
