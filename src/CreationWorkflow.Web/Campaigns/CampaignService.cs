using System.Text.Json;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Jobs;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Campaigns;

public sealed record StartCampaign(string ProgrammeId, DateOnly StartDate, string? Name = null, string? WorkflowId = null, IReadOnlyList<string>? AssessedUnits = null);

/// <summary>Starts campaigns: the plan becomes assignments, their first reminder timers, and notices to the units, in one transaction.</summary>
public sealed class CampaignService(
    AppDbContext db, ProgrammeCatalog programmes, WorkflowCatalog workflows, WorkingDayCalendar calendar, TimeProvider clock, CheckpointScheduler checkpoints)
{
    public async Task<CampaignRecord> StartAsync(StartCampaign request, string actor, CancellationToken ct = default)
    {
        request = Check(request);
        var programme = programmes.Find(request.ProgrammeId)
            ?? throw new DomainException("programmeId", $"没有编号为 '{request.ProgrammeId}' 的创建方案。", ErrorKind.NotFound);
        var definition = (request.WorkflowId is { } wid ? workflows.Latest(wid) : workflows.ForProgramme(programme.Id))
            ?? throw new DomainException("workflowId", $"创建方案 '{programme.Id}' 没有可用的工作流程定义。", ErrorKind.NotFound);
        if (definition.Programme != programme.Id)
        {
            throw new DomainException("workflowId", $"工作流程 '{definition.Id}' 不属于创建方案 '{programme.Id}'。");
        }
        if (programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit && request.AssessedUnits is not { Count: > 0 })
        {
            throw new DomainException("assessedUnits", "年度考核须列出参加考核的单位。");
        }
        programme = await programme.WithStoredGroupsAsync(db, ct);
        var plan = CampaignPlanner.Plan(programme, definition, request.StartDate, calendar, request.AssessedUnits);
        var now = clock.GetUtcNow();
        var version = await db.Programmes.Where(p => p.Id == programme.Id).Select(p => p.CurrentVersion).SingleAsync(ct);
        var campaign = new CampaignRecord
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name ?? $"{programme.Header.Title}（{request.StartDate:yyyy年M月d日}起）",
            ProgrammeId = programme.Id,
            ProgrammeVersion = version,
            WorkflowId = definition.Id,
            WorkflowVersion = definition.Version,
            StartDate = request.StartDate,
            CreatedAt = now,
            CreatedBy = actor,
            Phases = [.. plan.Phases.Select(p => new CampaignPhaseRecord { PhaseId = p.PhaseId, Name = p.Name, Start = p.Start, End = p.End })],
        };
        var rows = plan.Assignments.Select(a => new AssignmentRecord
        {
            Id = Guid.CreateVersion7(now),
            CampaignId = campaign.Id,
            ProgrammeId = programme.Id,
            StepId = a.StepId,
            PhaseId = a.Phase,
            ItemNo = a.ItemNo,
            Unit = a.Unit,
            Period = a.Period?.Index,
            PeriodLabel = a.Period?.Label,
            DueDate = a.Due,
            State = AssignmentState.Assigned,
            ReviewerUnit = a.ReviewerUnit,
            Evidence = a.Evidence,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Campaigns.Add(campaign);
        db.Assignments.AddRange(rows);
        db.Timers.AddRange(rows.Select(r => ReminderTimers.First(r, definition, calendar, now)).OfType<TimerRecord>());
        db.Notifications.AddRange(rows.GroupBy(r => r.Unit).Select(g => new NotificationRecord
        {
            OccurrenceKey = $"assigned:{campaign.Id:N}:{g.Key}",
            CampaignId = campaign.Id,
            ProgrammeId = programme.Id,
            Recipient = g.Key,
            Kind = "assigned",
            Title = $"新交办任务{g.Count()}项",
            Body = $"「{campaign.Name}」已启动，交办贵单位任务{g.Count()}项，最早一项于{g.Min(r => r.DueDate):yyyy年M月d日}到期。请及时签收并按期办理。",
            Link = "/inbox",
            CreatedAt = now,
        }));
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "campaign.started", Entity = "campaign", EntityId = campaign.Id.ToString(),
            After = JsonSerializer.Serialize(new
            {
                campaign.ProgrammeId, campaign.WorkflowId, campaign.WorkflowVersion, StartDate = campaign.StartDate.ToString("yyyy-MM-dd"),
                Assignments = rows.Count, Units = rows.Select(r => r.Unit).Distinct().Count(),
            }),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await checkpoints.EnsureScheduledAsync(campaign, plan.Checkpoints, ct);
        return campaign;
    }

    /// <summary>
    /// The request's texts and lists within their limits, and the start date within the years the holiday calendar covers
    /// (deadlines are counted in working days, so a campaign outside them would be planned on a guess).
    /// </summary>
    private StartCampaign Check(StartCampaign request)
    {
        var units = Input.Count(request.AssessedUnits, "assessedUnits", max: 1000);
        if (calendar.CoveredYears is { Count: > 0 } years)
        {
            Input.Within(request.StartDate, "startDate", new DateOnly(years[0], 1, 1), new DateOnly(years[^1], 12, 31), "节假日数据（seed/calendar）覆盖的年份");
        }
        return request with
        {
            ProgrammeId = Input.Text(request.ProgrammeId, "programmeId", required: true, max: Input.NameLength)!,
            Name = Input.Text(request.Name, "name", required: false, max: Input.TitleLength),
            WorkflowId = Input.Text(request.WorkflowId, "workflowId", required: false, max: Input.NameLength),
            AssessedUnits = request.AssessedUnits is null ? null
                : [.. units.Select((u, i) => Input.Text(u, $"assessedUnits[{i}]", required: true, max: Input.NameLength)!)],
        };
    }

    /// <summary>
    /// Moves a running campaign to another version of its workflow definition — never implicitly. The new plan is
    /// compared by assignment key: missing duties are added, open duties the new version drops are cancelled, open
    /// duties whose deadline changed are re-dated; finished work is kept as it is. One transaction, one audit entry.
    /// </summary>
    public async Task<CampaignMigration> MigrateAsync(Guid campaignId, int toVersion, string actor, CancellationToken ct = default)
    {
        Input.Between(toVersion, "version", 1, 9999);
        var campaign = await db.Campaigns.Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == campaignId, ct)
            ?? throw new DomainException("id", "创建活动不存在。", ErrorKind.NotFound);
        if (campaign.WorkflowVersion == toVersion)
        {
            throw new DomainException("version", $"该创建活动已在第{toVersion}版流程上运行。", ErrorKind.Conflict);
        }
        if (!workflows.TryGet(campaign.WorkflowId, toVersion, out var target))
        {
            throw new DomainException("version", $"流程 '{campaign.WorkflowId}' 没有第{toVersion}版。", ErrorKind.NotFound);
        }
        var programme = programmes.Find(campaign.ProgrammeId)!;
        var rows = await db.Assignments.Where(a => a.CampaignId == campaignId).ToListAsync(ct);
        var assessed = programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit
            ? rows.Select(r => r.Unit).Distinct().Order(StringComparer.Ordinal).ToList()
            : null;
        var plan = CampaignPlanner.Plan(programme, target, campaign.StartDate, calendar, assessed);
        var now = clock.GetUtcNow();
        static string KeyOf(AssignmentRecord a) => $"{a.StepId}/{a.ItemNo?.ToString() ?? "-"}/{a.Unit}/{a.Period?.ToString() ?? "-"}";
        var existing = rows.ToDictionary(KeyOf);
        var planned = plan.Assignments.ToDictionary(p => p.Key);
        static bool Open(AssignmentRecord a) => a.State is not (AssignmentState.Approved or AssignmentState.Cancelled);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var added = plan.Assignments.Where(p => !existing.ContainsKey(p.Key)).Select(a => new AssignmentRecord
        {
            Id = Guid.CreateVersion7(now), CampaignId = campaign.Id, ProgrammeId = programme.Id, StepId = a.StepId, PhaseId = a.Phase,
            ItemNo = a.ItemNo, Unit = a.Unit, Period = a.Period?.Index, PeriodLabel = a.Period?.Label, DueDate = a.Due,
            State = AssignmentState.Assigned, ReviewerUnit = a.ReviewerUnit, Evidence = a.Evidence, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        db.Assignments.AddRange(added);
        var cancelled = rows.Where(r => Open(r) && !planned.ContainsKey(KeyOf(r))).ToList();
        foreach (var r in cancelled)
        {
            r.State = AssignmentState.Cancelled;
            r.UpdatedAt = now;
            r.Revision++;
        }
        var redated = rows.Where(r => Open(r) && planned.TryGetValue(KeyOf(r), out var p) && p.Due != r.DueDate).ToList();
        foreach (var r in redated)
        {
            r.DueDate = planned[KeyOf(r)].Due;
            r.UpdatedAt = now;
            r.Revision++;
        }
        var touched = cancelled.Concat(redated).Select(r => (Guid?)r.Id).ToList();
        await db.Timers.Where(t => touched.Contains(t.AssignmentId) && t.State == TimerState.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TimerState.Cancelled), ct);
        db.Timers.AddRange(added.Concat(redated).Select(r => ReminderTimers.First(r, target, calendar, now)).OfType<TimerRecord>());
        var from = campaign.WorkflowVersion;
        campaign.WorkflowVersion = toVersion;
        foreach (var window in plan.Phases)
        {
            if (campaign.Phases.FirstOrDefault(p => p.PhaseId == window.PhaseId) is { } phase)
            {
                (phase.Start, phase.End) = (window.Start, window.End);
            }
        }
        var result = new CampaignMigration(from, toVersion, added.Count, cancelled.Count, redated.Count);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "campaign.migrated", Entity = "campaign", EntityId = campaign.Id.ToString(),
            Before = JsonSerializer.Serialize(new { WorkflowVersion = from }), After = JsonSerializer.Serialize(result),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }
}

public sealed record CampaignMigration(int FromVersion, int ToVersion, int Added, int Cancelled, int Redated);
