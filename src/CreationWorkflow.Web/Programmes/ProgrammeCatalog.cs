using CreationWorkflow.Core.Programmes;

namespace CreationWorkflow.Web.Programmes;

/// <summary>The validated programmes of this run, loaded from seed/ once at start-up.</summary>
public sealed class ProgrammeCatalog(IReadOnlyList<Programme> programmes)
{
    public IReadOnlyList<Programme> All { get; } = programmes;

    public Programme? Find(string id) => All.FirstOrDefault(p => p.Id == id);
}
