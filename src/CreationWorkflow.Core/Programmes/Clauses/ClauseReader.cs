namespace CreationWorkflow.Core.Programmes.Clauses;

/// <summary>
/// Reads an item's scoring clauses (测评内容, 测评方法) into proposed rules. Pure: no I/O, no state.
/// </summary>
public static class ClauseReader
{
    /// <summary>
    /// Reads one item. <paramref name="itemId"/> is the item's key ("12", bonus "B3", penalty "P1", negative
    /// list "N1"): rule ids are "<c>{itemId}.{n}</c>". <paramref name="content"/> is the 测评内容 text (line breaks
    /// allowed), <paramref name="method"/> the 测评方法 text (may be empty), <paramref name="points"/> the 分值
    /// (ignored for bonus, penalty and negative-list items, which have none).
    /// </summary>
    public static ClauseReading Read(string itemId, string content, string method, decimal points)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentNullException.ThrowIfNull(content);
        return new ClauseReading([], [new ClauseFlag(ClauseFlagKind.Unreadable, content, 0, content.Length, "无法识别的计分条款")]);
    }
}
