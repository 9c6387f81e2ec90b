using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreationWorkflow.Web.Data;

/// <summary>The one DbContext. Each provider has its own subclass carrying its migration set.</summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options),
    Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    public DbSet<ProgrammeRecord> Programmes => Set<ProgrammeRecord>();
    public DbSet<ProgrammeVersionRecord> ProgrammeVersions => Set<ProgrammeVersionRecord>();
    public DbSet<UnitRecord> Units => Set<UnitRecord>();
    public DbSet<UnitGroupMemberRecord> UnitGroupMembers => Set<UnitGroupMemberRecord>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<CampaignRecord> Campaigns => Set<CampaignRecord>();
    public DbSet<CampaignPhaseRecord> CampaignPhases => Set<CampaignPhaseRecord>();
    public DbSet<AssignmentRecord> Assignments => Set<AssignmentRecord>();
    public DbSet<ProgressReportRecord> ProgressReports => Set<ProgressReportRecord>();
    public DbSet<EvidenceFileRecord> EvidenceFiles => Set<EvidenceFileRecord>();
    public DbSet<ReportLineRecord> ReportLines => Set<ReportLineRecord>();
    public DbSet<ReportLineCitationRecord> ReportLineCitations => Set<ReportLineCitationRecord>();
    public DbSet<TimerRecord> Timers => Set<TimerRecord>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<SupervisionOrderRecord> SupervisionOrders => Set<SupervisionOrderRecord>();
    public DbSet<InspectionRecord> Inspections => Set<InspectionRecord>();
    public DbSet<Workflows.WorkflowDefinitionRecord> WorkflowDefinitions => Set<Workflows.WorkflowDefinitionRecord>();
    public DbSet<Scoring.FactRecord> Facts => Set<Scoring.FactRecord>();
    public DbSet<Scoring.ItemReviewRecord> ItemReviews => Set<Scoring.ItemReviewRecord>();
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys =>
        Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();
    public DbSet<Operations.IncidentRecord> Incidents => Set<Operations.IncidentRecord>();
    public DbSet<Operations.IdempotencyKeyRecord> IdempotencyKeys => Set<Operations.IdempotencyKeyRecord>();
    public DbSet<Bulletins.BulletinRecord> Bulletins => Set<Bulletins.BulletinRecord>();
    public DbSet<Channels.ContactRecord> Contacts => Set<Channels.ContactRecord>();
    public DbSet<Calendar.CalendarFeedRecord> CalendarFeeds => Set<Calendar.CalendarFeedRecord>();
    public DbSet<Programmes.Import.ImportDraftRecord> ImportDrafts => Set<Programmes.Import.ImportDraftRecord>();
    public DbSet<Coverage.PlaceRecord> Places => Set<Coverage.PlaceRecord>();
    public DbSet<Coverage.DenominatorRecord> Denominators => Set<Coverage.DenominatorRecord>();
    public DbSet<Instructions.InstructionRecord> Instructions => Set<Instructions.InstructionRecord>();
    public DbSet<Instructions.InstructionTargetRecord> InstructionTargets => Set<Instructions.InstructionTargetRecord>();
    public DbSet<Instructions.InstructionFileRecord> InstructionFiles => Set<Instructions.InstructionFileRecord>();
    public DbSet<CampaignRevisionRecord> CampaignRevisions => Set<CampaignRevisionRecord>();
    public DbSet<Acceptance.RoadRecord> Roads => Set<Acceptance.RoadRecord>();
    public DbSet<Acceptance.RoadStepRecord> RoadSteps => Set<Acceptance.RoadStepRecord>();
    public DbSet<Acceptance.RoadFileRecord> RoadFiles => Set<Acceptance.RoadFileRecord>();
    public DbSet<Inspection.PeerInspectionRecord> PeerInspections => Set<Inspection.PeerInspectionRecord>();
    public DbSet<Inspection.PeerFindingRecord> PeerFindings => Set<Inspection.PeerFindingRecord>();
    public DbSet<Inspection.PeerPhotoRecord> PeerPhotos => Set<Inspection.PeerPhotoRecord>();

    /// <summary>Which SQL the hand-written parts (Quartz tables, timer claims) speak.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>How many saves this context has begun: what was read before a save may be out of date after it.</summary>
    public long Saves { get; private set; }

    /// <summary>Every save stamps the campaigns whose figures it changes (<see cref="Data.CampaignRevisions"/>), in its own transaction.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Saves++;
        Data.CampaignRevisions.Stamp(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// A save inside the caller's transaction writes its new audit entries in multi-row statements (<see cref="BulkInsert"/>)
    /// after the change they record; EF Core would write one statement each, and SQLite does not batch them. Outside a
    /// transaction, or for one entry, they go with the rest of the save. Entries keep their order; their ids are not
    /// read back (nothing reads an entry's id after it is added). A save that fails anywhere leaves every change, entries
    /// included, staged as before.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Saves++;
        await Data.CampaignRevisions.StampAsync(this, cancellationToken);
        var audits = Database.CurrentTransaction is null ? [] : StagedAudits();
        if (audits.Count < MinAuditsInStatements)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        foreach (var audit in audits)
        {
            Entry(audit).State = EntityState.Detached;
        }
        try
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            await this.InsertManyAsync(audits, cancellationToken);
            if (acceptAllChangesOnSuccess)
            {
                ChangeTracker.AcceptAllChanges(); // only once the entries are written too, as a single save would
            }
            return saved + audits.Count;
        }
        catch
        {
            Audit.AddRange(audits);
            throw;
        }
    }

    private const int MinAuditsInStatements = 2;

    private List<AuditEntry> StagedAudits() =>
        ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name, so a row reads the same in psql and after an enum gains a member.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
        configurationBuilder.Conventions.Add(_ => new ColumnLengths());
    }
}

/// <summary>SQLite, the embedded default. Migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite cannot order or compare DateTimeOffset; store it as a sortable 64-bit value.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>PostgreSQL, for production and for several instances. Migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>Lets `dotnet ef migrations add … --context SqliteAppDbContext` build the model without the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets `dotnet ef migrations add … --context PostgresAppDbContext` build the model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
