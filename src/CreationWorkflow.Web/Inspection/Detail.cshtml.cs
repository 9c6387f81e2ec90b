using CreationWorkflow.Core.Inspection;

namespace CreationWorkflow.Web.Inspection;

/// <summary>
/// One peer inspection (/peer-inspections/{id}): the checklist from the item's rules and methods; the inspecting unit records
/// each line 符合/不符合 with a note and photos and submits; the office opens a 督办单 from a 不符合 finding and closes the
/// inspection, or cancels it with a reason while it is open. Anyone not allowed to see it gets 404 for reading and for every form. Changes go through <see cref="PeerInspectionService"/>.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class DetailModel(PeerInspectionService service, PeerInspectionQuery query, AppDbContext db) : InspectionPageModel(db)
{
    public PeerInspectionView Inspection { get; private set; } = null!;

    public bool CanRecord => User.IsInRole(Roles.Unit) && User.UnitOf() == Inspection.Inspector
        && PeerInspectionLifecycle.Allows(Inspection.State, PeerInspectionTrigger.Record);

    public bool CanSubmit => CanRecord && PeerInspectionLifecycle.Allows(Inspection.State, PeerInspectionTrigger.Submit);

    public bool IsOffice => User.IsInRole(Roles.Office);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPhotoAsync(Guid id, Guid photoId, [FromServices] EvidenceStore store, CancellationToken ct)
    {
        var inspection = await service.FindAsync(id, ct);
        var photo = inspection.Lines.SelectMany(l => l.Photos).SingleOrDefault(p => p.Id == photoId);
        if (!PeerInspectionService.CanSee(User, inspection) || photo is null)
        {
            return NotFound();
        }
        return store.Download(this, photo.StoredName, photo.FileName);
    }

    public async Task<IActionResult> OnPostRecordAsync(Guid id, string? ruleId, string? verdict, string? note, List<IFormFile>? files, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (User.UnitOf() is not { } unit || unit != Inspection.Inspector)
        {
            return Forbid();
        }
        return await ActAsync(id, async () =>
        {
            await service.RecordAsync(id, unit, ruleId ?? "", verdict, note, files, User.NameOf(), ct);
            return $"已记录规则{ruleId}的检查结论。";
        }, ct);
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (User.UnitOf() is not { } unit || unit != Inspection.Inspector)
        {
            return Forbid();
        }
        return await ActAsync(id, async () =>
        {
            await service.SubmitAsync(id, unit, User.NameOf(), ct);
            return "互查结果已提交，检查发现已记入该测评内容的审核。";
        }, ct);
    }

    public async Task<IActionResult> OnPostRectifyAsync(Guid id, Guid findingId, string? requirement, DateOnly? rectifyBy, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!IsOffice)
        {
            return Forbid();
        }
        return await ActAsync(id, async () =>
        {
            if (rectifyBy is not { } by)
            {
                throw new DomainException("rectifyBy", "请填写整改期限。");
            }
            var order = await service.RectifyAsync(id, findingId, new RectifyRequest(requirement ?? "", by), User.NameOf(), ct);
            return $"已据检查发现下发{order.Title}，{Inspection.Inspected}将收到整改任务。";
        }, ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!IsOffice)
        {
            return Forbid();
        }
        return await ActAsync(id, async () =>
        {
            await service.CloseAsync(id, User.NameOf(), ct);
            return "互查任务已办结。";
        }, ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!IsOffice)
        {
            return Forbid();
        }
        return await ActAsync(id, async () =>
        {
            await service.CancelAsync(id, new CancelInspectionRequest(reason), User.NameOf(), ct);
            return $"互查任务已撤销，已通知{Inspection.Inspector}。";
        }, ct);
    }

    protected override async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        PeerInspectionRecord inspection;
        try
        {
            inspection = await service.FindAsync(id, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
        if (!PeerInspectionService.CanSee(User, inspection))
        {
            return false;
        }
        Inspection = await query.ViewAsync(inspection, ct);
        return true;
    }
}
