using Microsoft.Extensions.DependencyInjection.Extensions;

// In the root namespace so Infrastructure/Startup.cs calls services.AddMail(...) without a using.
namespace CreationWorkflow.Web;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Mail: <see cref="MailOptions"/> from "CreationWorkflow:Mail" (validated at start-up), the transport the options
    /// choose (SMTP when Host is set, else the pickup directory, by default &lt;data folder&gt;/mail-pickup), and the
    /// scoped <see cref="OutboxDispatcher"/> and <see cref="NotificationDigest"/>.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.Section))
            .PostConfigure<IOptions<AppOptions>, IHostEnvironment>((mail, app, env) =>
            {
                if (mail.UsesPickupDirectory && string.IsNullOrWhiteSpace(mail.PickupDirectory))
                {
                    mail.PickupDirectory = Path.Combine(app.Value.ResolveDataPath(env.ContentRootPath), "mail-pickup");
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOptions>, MailOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SmtpMailTransport>();
        services.TryAddSingleton<PickupDirectoryTransport>();
        services.TryAddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.UsesPickupDirectory
            ? sp.GetRequiredService<PickupDirectoryTransport>()
            : sp.GetRequiredService<SmtpMailTransport>());
        services.TryAddScoped<OutboxDispatcher>();
        services.TryAddScoped<NotificationDigest>();
        return services;
    }
}
