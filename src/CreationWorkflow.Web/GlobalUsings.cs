// The namespaces most of the host uses: the database, the shared infrastructure, who the caller is, China's dates, JSON.
global using Microsoft.EntityFrameworkCore;
global using CreationWorkflow.Web.Data;
global using CreationWorkflow.Web.Infrastructure;
global using CreationWorkflow.Web.Accounts;
global using CreationWorkflow.Core.Calendar;
global using System.Text.Json;
