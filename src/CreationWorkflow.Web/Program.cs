var builder = WebApplication.CreateBuilder(CreateAdminCommand.HostArgs(args));
builder.AddCreationWorkflow();
var app = builder.Build();
if (CreateAdminCommand.IsCommand(args))
{
    // `create-admin NAME`: the first office account of a Production install (see README, Deploying → Accounts).
    return await CreateAdminCommand.RunAsync(app, args);
}
app.UseCreationWorkflow();
try
{
    await app.RunAsync();
    return 0;
}
catch (SeedException ex)
{
    // A broken seed stops start-up with every fault named (file, JSON path, reason), not a stack trace.
    Console.Error.WriteLine("Start-up stopped: the seed is invalid.");
    Console.Error.WriteLine(ex.Message);
    return 1;
}

public partial class Program;
