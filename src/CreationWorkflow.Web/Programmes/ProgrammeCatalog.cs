namespace CreationWorkflow.Web.Programmes;

/// <summary>
/// The validated programmes of this run: loaded from seed/ at start-up, then the published versions stored in the
/// database (a published import in force replaces the seed content of its id), and programmes the office publishes
/// while running. Every version loaded is kept, so a campaign can be read on the version it started with.
/// </summary>
public sealed class ProgrammeCatalog(IReadOnlyList<Programme> programmes)
{
    private readonly Lock gate = new();
    private IReadOnlyList<Programme> current = programmes;
    private readonly Dictionary<(string, int), Programme> versions = [];

    public IReadOnlyList<Programme> All => current;

    public Programme? Find(string id) => current.FirstOrDefault(p => p.Id == id);

    /// <summary>The programme as it was at <paramref name="version"/>, when that version's content is known; else the current one.</summary>
    public Programme? Find(string id, int version)
    {
        lock (gate)
        {
            return versions.GetValueOrDefault((id, version)) ?? Find(id);
        }
    }

    /// <summary>Puts <paramref name="programme"/> in force for its id (replacing the one there), remembering it as <paramref name="version"/>.</summary>
    public void Publish(Programme programme, int version, bool inForce = true)
    {
        lock (gate)
        {
            versions[(programme.Id, version)] = programme;
            if (inForce)
            {
                current = [.. current.Where(p => p.Id != programme.Id), programme];
            }
        }
    }
}
