using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace CreationWorkflow.Web.Data;

/// <summary>
/// The one place where a column's length follows from what it holds: who did something (…By, a unit, a user) is 100
/// characters, an id or a hash 64, a note or an error 2000, a field or phase id 32, a key or title-like reference 200,
/// and an enum stored as text 16. An entity's configuration still says a length where its column differs (a title of
/// 300, a state of 20); that explicit length wins over this convention. Only the host's own entities are sized here,
/// not Identity's, and not foreign keys (they keep the length of the column they were created with).
/// </summary>
internal sealed class ColumnLengths : IModelFinalizingConvention
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.Ordinal)
    {
        // who: a unit, a person, an inspector
        ["Action"] = 100, ["Actor"] = 100, ["DisplayName"] = 100, ["Division"] = 100, ["DocumentNumber"] = 100,
        ["Entity"] = 100, ["GroupName"] = 100, ["Inspected"] = 100, ["Inspector"] = 100, ["Owner"] = 100,
        ["Recipient"] = 100, ["ReviewerUnit"] = 100, ["Unit"] = 100, ["UnitName"] = 100, ["ContentType"] = 100,
        ["StoredName"] = 100, ["Key"] = 100,
        // ids and hashes
        ["ProgrammeId"] = 64, ["WorkflowId"] = 64, ["StepId"] = 64, ["CheckpointId"] = 64, ["SubjectKey"] = 64,
        ["ContentHash"] = 64, ["TokenHash"] = 64, ["Address"] = 64,
        ["Field"] = 32, ["PhaseId"] = 32, ["RuleId"] = 32,
        // references and names of things
        ["CheckpointName"] = 200, ["EntityId"] = 200, ["MessageId"] = 200, ["OccurrenceKey"] = 200, ["Reference"] = 200,
        ["Result"] = 200, ["To"] = 200, ["ToName"] = 200, ["FullName"] = 200,
        // free text
        ["Answer"] = 2000, ["CancelReason"] = 2000, ["CloseNote"] = 2000, ["Error"] = 2000, ["LastError"] = 2000,
        ["Note"] = 2000, ["Notes"] = 2000, ["ReviewNote"] = 2000,
    };

    /// <summary>The length a column of this name gets when its configuration names none; null for none.</summary>
    public static int? Of(string property, Type clrType)
    {
        if (ByName.TryGetValue(property, out var length)) return length;
        if (property.EndsWith("By", StringComparison.Ordinal)) return 100; // CreatedBy, ReviewedBy…: a user name
        if (property.EndsWith("Sha256", StringComparison.Ordinal)) return 64;
        if (property.EndsWith("Protected", StringComparison.Ordinal)) return 2000; // a Data Protection payload
        return (Nullable.GetUnderlyingType(clrType) ?? clrType).IsEnum ? 16 : null;
    }

    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        foreach (var entity in modelBuilder.Metadata.GetEntityTypes())
        {
            if (entity.ClrType.Namespace?.StartsWith("CreationWorkflow.", StringComparison.Ordinal) != true) continue;
            foreach (var property in entity.GetDeclaredProperties())
            {
                if (property.PropertyInfo?.DeclaringType?.Namespace?.StartsWith("CreationWorkflow.", StringComparison.Ordinal) != true) continue;
                if (property.IsForeignKey() || property.GetMaxLength() is not null) continue;
                var stored = property.GetProviderClrType() ?? property.ClrType;
                if (stored != typeof(string)) continue;
                if (Of(property.Name, property.ClrType) is { } length) property.Builder.HasMaxLength(length);
            }
        }
    }
}
