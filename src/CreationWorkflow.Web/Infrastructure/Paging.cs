namespace CreationWorkflow.Web.Infrastructure;

/// <summary>A page of a list: which page, how big, and how many there are in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int PageSize);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>Checks the query's page and page size (1-based; 1…<see cref="MaxPageSize"/>), naming the field at fault.</summary>
    public static (int Page, int PageSize, int Skip) Check(int? page, int? pageSize, int defaultPageSize = 20)
    {
        var p = page ?? 1;
        var size = pageSize ?? defaultPageSize;
        if (p < 1)
        {
            throw new DomainException("page", $"页码须为正整数，而不是 {p}。");
        }
        if (size is < 1 or > MaxPageSize)
        {
            throw new DomainException("pageSize", $"每页条数须在 1 到 {MaxPageSize} 之间，而不是 {size}。");
        }
        return (p, size, (p - 1) * size);
    }
}
