namespace CreationWorkflow.Web.Data;

/// <summary>
/// The one way an audit entry is recorded: staged on the context beside the change it records, so both are saved in
/// the same transaction. Before and after are JSON snapshots (the caller serialises them); actor and entity id are
/// clipped to their columns.
/// </summary>
public static class AuditLog
{
    public static AuditEntry AddAudit(
        this AppDbContext db, DateTimeOffset at, string actor, string action, string entity, string entityId, string? before = null, string? after = null)
    {
        var entry = new AuditEntry
        {
            At = at, Actor = Clip(actor, 100), Action = action, Entity = entity, EntityId = Clip(entityId, 200), Before = before, After = after,
        };
        db.Audit.Add(entry);
        return entry;
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>The entities audit entries are about (<see cref="AuditEntry.Entity"/>).</summary>
public static class AuditEntities
{
    public const string Account = "account";
    public const string Assessment = "assessment";
    public const string Assignment = "assignment";
    public const string Campaign = "campaign";
    public const string CalendarFeed = "calendar_feed";
    public const string Group = "group";
    public const string Incident = "incident";
    public const string Notification = "notification";
    public const string Outbox = "outbox";
    public const string Place = "place";
    public const string Denominator = "place_denominator";
    public const string Programme = "programme";
    public const string ImportDraft = "import-draft";
    public const string Instruction = "instruction";
    public const string Road = "acceptance_road";
    public const string PeerInspection = "peer_inspection";
    public const string SupervisionOrder = "supervision_order";
    public const string Unit = "unit";
    public const string Workflow = "workflow";
}

/// <summary>The actions audit entries record (<see cref="AuditEntry.Action"/>), written and matched only through these names.</summary>
public static class AuditActions
{
    public const string AccountCreated = "account.created";
    public const string AccountRoles = "account.roles";
    public const string AccountUnit = "account.unit";
    public const string AccountPasswordReset = "account.password-reset";
    public const string AccountPasswordChanged = "account.password-changed";
    public const string AccountReactivated = "account.reactivated";
    public const string AccountDeactivated = "account.deactivated";

    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string SignInFailedLocked = "signin.failed-locked";
    public const string SignInLocked = "signin.locked";
    public const string SignInDeactivated = "signin.deactivated";

    public const string AssessmentProposed = "assessment.proposed";

    /// <summary>The after-payload member of an <see cref="AssessmentProposed"/> entry submitted with warnings: what the evidence plan missed.</summary>
    public const string MissingEvidence = "missingEvidence";
    public const string AssessmentRated = "assessment.rate";

    /// <summary>A review decision on an item's score: assessment.accept, assessment.adjust, assessment.return.</summary>
    public static string AssessmentReviewed(string decision) => "assessment." + decision;

    /// <summary>
    /// A lifecycle transition of an assignment: assignment.acknowledge, assignment.submit, …, assignment.fold; 改派 and 改期 keep
    /// the names they had before they went through the lifecycle (<see cref="AssignmentReassigned"/>, <see cref="AssignmentRescheduled"/>).
    /// </summary>
    public static string Assignment(AssignmentTrigger trigger) => trigger switch
    {
        AssignmentTrigger.Reassign => AssignmentReassigned,
        AssignmentTrigger.Reschedule => AssignmentRescheduled,
        _ => AssignmentPrefix + trigger.ToString().ToLowerInvariant(),
    };

    /// <summary>The trigger an <see cref="Assignment(AssignmentTrigger)"/> action names, if it names one.</summary>
    public static bool IsAssignmentTransition(string action, out AssignmentTrigger trigger)
    {
        foreach (var t in Enum.GetValues<AssignmentTrigger>())
        {
            if (Assignment(t) == action)
            {
                trigger = t;
                return true;
            }
        }
        trigger = default;
        return false;
    }

    private const string AssignmentPrefix = "assignment.";
    public const string AssignmentCreated = "assignment.created";
    public const string AssignmentReassigned = "assignment.reassigned";
    public const string AssignmentRescheduled = "assignment.rescheduled";
    public const string AssignmentUrged = "assignment.urged";

    public const string ReportLineSaved = "reportline.saved";
    public const string ReportLineSubmitted = "reportline.submitted";
    public const string ReportLineReturned = "reportline.returned";
    public const string ReportLineApproved = "reportline.approved";
    public const string ReportLineFolded = "reportline.folded";

    public const string CampaignStarted = "campaign.started";
    public const string BulletinBuilt = "bulletin.built";
    public const string CampaignMigrated = "campaign.migrated";
    public const string CheckpointRun = "checkpoint.run";
    public const string GateOpened = "gate.opened";
    public const string GateClosed = "gate.closed";
    public const string PackageGenerated = "package.generated";

    public const string SupervisionOrderIssued = "supervision_order.issued";
    public const string SupervisionOrderAnswered = "supervision_order.answered";
    public const string SupervisionOrderClosed = "supervision_order.closed";
    public const string SupervisionOrderEscalated = "supervision_order.escalated";

    public const string InstructionIssued = "instruction.issued";
    public const string InstructionAnswered = "instruction.answered";
    public const string InstructionClosed = "instruction.closed";
    public const string RoadStepRecorded = "road.step-recorded";

    public const string PeerInspectionAssigned = "peer-inspection.assigned";
    public const string PeerInspectionRecorded = "peer-inspection.recorded";
    public const string PeerInspectionSubmitted = "peer-inspection.submitted";
    public const string PeerInspectionClosed = "peer-inspection.closed";
    public const string PeerInspectionRectify = "peer-inspection.rectify";
    public const string PeerInspectionCancelled = "peer-inspection.cancelled";

    public const string NotificationRead = "notification.read";
    public const string CalendarFeedIssued = "calendar_feed.issued";
    public const string CalendarFeedRevoked = "calendar_feed.revoked";
    public const string MailRetried = "mail.retried";
    public const string MailDiscarded = "mail.discarded";
    public const string IncidentRetried = "incident.retried";
    public const string IncidentDiscarded = "incident.discarded";

    public const string ProgrammeLoaded = "programme.loaded";
    public const string ProgrammeVersioned = "programme.versioned";
    public const string ListImported = "list.imported";
    public const string ListDraftEdited = "list.draft.edited";
    public const string ListDraftDiscarded = "list.draft.discarded";
    public const string WorkflowLoaded = "workflow.loaded";
    public const string WorkflowGenerated = "workflow.generated";

    /// <summary>The office saved an edited definition as a new version (after: id, version, hash, the version it was based on).</summary>
    public const string WorkflowVersionSaved = "workflow.version-saved";
    public const string PlaceEntered = "place.entered";
    public const string PlaceImported = "place.imported";
    public const string PlaceReviewed = "place.reviewed";
    public const string PlaceReturned = "place.returned";
    public const string PlaceEdited = "place.edited";
    public const string PlaceDeleted = "place.deleted";
    public const string DenominatorSet = "place_denominator.set";

    /// <summary>A lifecycle move of a place in the register: place.start, place.accept, place.name.</summary>
    public static string Place(Core.Coverage.PlaceTrigger trigger) => "place." + trigger.ToString().ToLowerInvariant();

    public const string UnitContact = "unit.contact";
    public const string UnitContactSaved = "unit.contact-saved";
    public const string ChannelTested = "channel.tested";
    public const string UnitContactsImported = "unit.contacts-imported";
    public const string GroupMembers = "group.members";
}
