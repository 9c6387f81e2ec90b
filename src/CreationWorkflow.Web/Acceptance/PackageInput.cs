namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// Everything the acceptance package for 国家民委 is made from: the programme, the reviewed self-assessment
/// (scored by <see cref="ScoringEngine"/>), the letter's particulars and the evidence files.
/// </summary>
public sealed record PackageInput(
    Programme Programme,
    ScoreResult Reviewed,
    ApplicationInfo Application,
    IReadOnlyList<EvidenceEntry> Evidence);

/// <summary>Who applies, to whom, on which date (also the package's fixed timestamp), and whom to call.</summary>
public sealed record ApplicationInfo(
    string Applicant,
    string Addressee,
    DateOnly Date,
    string ContactName,
    string ContactPhone,
    string? Summary = null);

/// <summary>
/// One evidence file cited for a scored item (or, with <paramref name="Adjustment"/>, for a bonus or penalty item).
/// <paramref name="Size"/> and <paramref name="Sha256"/> are what was recorded when the file was stored; the package
/// re-hashes the bytes as it copies them and refuses a file that no longer matches. <paramref name="Open"/> gives a
/// fresh read stream (from disk): the package never holds a whole file in memory.
/// </summary>
public sealed record EvidenceEntry(
    int ItemNo,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    string? RuleId,
    string Description,
    Func<Stream> Open,
    AdjustmentKind? Adjustment = null);
