using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Scoring;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Campaigns;

public sealed record PhaseProgress(string PhaseId, string Name, DateOnly Start, DateOnly End, int Done, int Open, int Late);

public sealed record CampaignOverview(
    CampaignRecord Campaign, Programme Programme, IReadOnlyList<PhaseProgress> Phases, Standing? Standing, Ranking? Ranking,
    IReadOnlyList<Supervision.HeatCell> Heat);

/// <summary>
/// 首页 / 总览 (/): for the office and leaders, each campaign's work by phase (done, open, late), its reviewed score by
/// target against the maximum, the points at risk, the 90-point gate and the units × months heat map; the office's latest notices. Other roles go to their own start page.
/// </summary>
public sealed class HomeModel(AppDbContext db, AssessmentService assessment, Supervision.BoardSummaries summaries, ProgrammeCatalog catalog, TimeProvider clock) : PageModel
{
    public const int MaxCampaigns = 5;

    /// <summary>How many of the items whose points are at risk the dashboard names (the rest are on the acceptance page).</summary>
    public const int TopRisks = 8;

    public IReadOnlyList<CampaignOverview> Campaigns { get; private set; } = [];
    public IReadOnlyList<NotificationView> Notices { get; private set; } = [];
    public IReadOnlyList<Programme> Programmes => catalog.All;
    public DateOnly Today { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Office) && !User.IsInRole(Roles.Leader))
        {
            return Redirect(User.IsInRole(Roles.Unit) ? "/inbox" : User.IsInRole(Roles.Inspector) ? "/supervision/board"
                : User.IsInRole(Roles.Evaluator) ? "/assessment/rates" : "/programmes");
        }
        Today = Supervision.Supervision.Today(clock.GetUtcNow());
        var today = Today;
        var campaigns = await db.Campaigns.Include(c => c.Phases).OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id)
            .Take(MaxCampaigns).ToListAsync(ct);
        var list = new List<CampaignOverview>();
        foreach (var c in campaigns)
        {
            if (catalog.Find(c.ProgrammeId, c.ProgrammeVersion) is not { } programme)
            {
                continue;
            }
            var counts = await db.Assignments.Where(a => a.CampaignId == c.Id).GroupBy(a => a.PhaseId)
                .Select(g => new
                {
                    Phase = g.Key,
                    Done = g.Count(a => a.State == AssignmentState.Approved),
                    Open = g.Count(a => a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled),
                })
                .ToListAsync(ct);
            var late = await db.Assignments.Where(a => a.CampaignId == c.Id).Where(Supervision.LightQuery.LateOn(today)).GroupBy(a => a.PhaseId)
                .Select(g => new { Phase = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Phase, x => x.Count, ct);
            var phases = c.Phases.OrderBy(p => p.Start).Select(p =>
            {
                var n = counts.FirstOrDefault(x => x.Phase == p.PhaseId);
                return new PhaseProgress(p.PhaseId, p.Name, p.Start, p.End, n?.Done ?? 0, n?.Open ?? 0, late.GetValueOrDefault(p.PhaseId));
            }).ToList();
            var city = programme.Header.Subject == ProgrammeSubject.City;
            list.Add(new CampaignOverview(c, programme, phases,
                city ? await assessment.StandingAsync(c.Id, "", ct) : null,
                city ? null : await assessment.RankingAsync(c.Id, ct),
                city ? await summaries.HeatMapAsync(c.Id, ct) : []));
        }
        Campaigns = list;

        if (User.IsInRole(Roles.Office))
        {
            var recipients = NotificationEndpoints.RecipientsOf(User);
            Notices = await db.Notifications.Where(n => recipients.Contains(n.Recipient)).OrderByDescending(n => n.Id).Take(10)
                .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt))
                .ToListAsync(ct);
        }
        return Page();
    }

    public static string Pts(decimal v) => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
