// The namespaces most tests use: the fixtures, roles, HTTP and its JSON, the host's services.
global using CreationWorkflow.Web.Tests.Infrastructure;
global using CreationWorkflow.Web.Accounts;
global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json.Nodes;
global using Microsoft.Extensions.DependencyInjection;
