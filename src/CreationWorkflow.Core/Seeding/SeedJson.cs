using System.Text.Json.Serialization;

namespace CreationWorkflow.Core.Seeding;

/// <summary>Strict JSON reading for seed and definition files: unknown properties, missing required ones and nulls are errors.</summary>
public static partial class SeedJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads <paramref name="path"/> as T, or records why not (with the JSON path and line) and returns default.</summary>
    public static T? Read<T>(string path, string displayName, List<SeedError> errors)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            errors.Add(new SeedError(displayName, "$", $"cannot read file: {ex.Message}"));
            return default;
        }
        return Parse<T>(bytes, displayName, errors);
    }

    public static T? Parse<T>(ReadOnlySpan<byte> json, string displayName, List<SeedError> errors)
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(json, Options);
            if (value is null)
            {
                errors.Add(new SeedError(displayName, "$", "the file holds null"));
            }
            return value;
        }
        catch (JsonException ex)
        {
            errors.Add(new SeedError(displayName, ex.Path ?? "$", Explain(ex), ex.LineNumber is { } l ? l + 1 : null));
            return default;
        }
    }

    /// <summary>Turns System.Text.Json's messages into a reason a person editing the file can act on.</summary>
    public static string Explain(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        if (UnknownDiscriminator().Match(message) is { Success: true } m)
        {
            return $"unknown rule kind '{m.Groups[1].Value}' (known kinds: {string.Join(", ", Core.Scoring.Rule.Kinds)})";
        }
        if (message.Contains("abstract types", StringComparison.Ordinal) || message.Contains("type discriminator", StringComparison.Ordinal))
        {
            return $"a rule needs a 'kind' (one of: {string.Join(", ", Core.Scoring.Rule.Kinds)})";
        }
        if (UnmappedMember().Match(message) is { Success: true } u)
        {
            return $"unknown property '{u.Groups[1].Value}'";
        }
        if (MissingRequired().Match(message) is { Success: true } r)
        {
            return $"missing required property {r.Groups[1].Value}";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "wrong type of value: " + message;
        }
        return message;
    }

    [GeneratedRegex("unrecognized type discriminator id '([^']*)'")]
    private static partial Regex UnknownDiscriminator();

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("missing required properties including: (.*)\\.$")]
    private static partial Regex MissingRequired();
}
