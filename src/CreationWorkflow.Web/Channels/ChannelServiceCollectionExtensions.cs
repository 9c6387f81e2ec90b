using CreationWorkflow.Web.Channels;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In the root namespace, like AddMail.
namespace CreationWorkflow.Web;

public static class ChannelServiceCollectionExtensions
{
    /// <summary>The HTTP channels: options from "CreationWorkflow:Channels", one named HttpClient, the senders, fan-out and dispatcher.</summary>
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChannelOptions>().Bind(configuration.GetSection(ChannelOptions.Section))
            .Validate(o => o.BatchSize >= 1 && o.Concurrency >= 1 && o.FanoutBatchSize >= 1 && o.Timeout > TimeSpan.Zero,
                $"{ChannelOptions.Section}: BatchSize, Concurrency and FanoutBatchSize must be at least 1, Timeout positive.")
            .Validate(o => o.BreakerFailureRatio is > 0 and <= 1 && o.BreakerMinimumThroughput >= 2
                    && o.BreakerSamplingDuration >= TimeSpan.FromMilliseconds(500) && o.BreakerBreakDuration >= TimeSpan.FromMilliseconds(500),
                $"{ChannelOptions.Section}: BreakerFailureRatio must be in (0, 1], BreakerMinimumThroughput at least 2, BreakerSamplingDuration and BreakerBreakDuration at least 0.5 s.")
            .Validate(o => string.IsNullOrWhiteSpace(o.SmsEndpoint) || Uri.TryCreate(o.SmsEndpoint, UriKind.Absolute, out _),
                $"{ChannelOptions.Section}:SmsEndpoint is not an absolute URL.")
            .ValidateOnStart();
        services.AddHttpClient(ChannelSenders.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ContactSecrets>();
        services.TryAddSingleton<ChannelSenders>();
        services.TryAddScoped<ChannelFanout>();
        services.TryAddScoped<ChannelDispatcher>();
        return services;
    }
}
