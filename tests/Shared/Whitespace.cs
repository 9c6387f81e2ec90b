using System.Text;

namespace CreationWorkflow.Tests.Shared;

/// <summary>Text with its whitespace taken out, for comparing clauses as the source documents print them (linked into both test projects).</summary>
internal static class Whitespace
{
    /// <summary><paramref name="s"/> without whitespace, and for each kept character its index in <paramref name="s"/>.</summary>
    public static (string Text, int[] Map) Removed(string s)
    {
        var sb = new StringBuilder(s.Length);
        var map = new List<int>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsWhiteSpace(s[i]))
            {
                sb.Append(s[i]);
                map.Add(i);
            }
        }
        return (sb.ToString(), [.. map]);
    }
}
