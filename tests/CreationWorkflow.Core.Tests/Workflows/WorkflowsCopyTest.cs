namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>
/// A test class whose tests each get their own copy of the repository's workflows/ in a temp folder, to change with
/// <see cref="Edit"/> and load; the copy is deleted after the test.
/// </summary>
public abstract class WorkflowsCopyTest : IDisposable
{
    protected string Dir { get; } = Path.Combine(Path.GetTempPath(), "cw-workflows-" + Guid.NewGuid().ToString("N"));

    protected WorkflowsCopyTest()
    {
        Directory.CreateDirectory(Dir);
        foreach (var file in Directory.GetFiles(Repo.Workflows))
        {
            File.Copy(file, Path.Combine(Dir, Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Changes the copy of <paramref name="file"/> (its name is what counts) and writes it back.</summary>
    protected void Edit(string file, Action<JsonNode> change)
    {
        var path = Path.Combine(Dir, Path.GetFileName(file));
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        change(node);
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Loading the copy fails: its faults.</summary>
    protected IReadOnlyList<SeedError> Errors() =>
        Assert.Throws<SeedException>(() => WorkflowLoader.LoadAll(Dir, Repo.Programmes)).Errors;
}
