// The namespaces most of the host uses, by layer. A feature folder used by only a few files is still named in them.

// The domain (CreationWorkflow.Core): programmes and their lists, work, scoring, supervision, dates.
global using CreationWorkflow.Core.Assignments;
global using CreationWorkflow.Core.Calendar;
global using CreationWorkflow.Core.Coverage;
global using CreationWorkflow.Core.Instructions;
global using CreationWorkflow.Core.Notifications;
global using CreationWorkflow.Core.Programmes;
global using CreationWorkflow.Core.Scoring;
global using CreationWorkflow.Core.Seeding;
global using CreationWorkflow.Core.Supervision;
global using CreationWorkflow.Core.Workflows;

// The host's shared parts: the database, infrastructure, who the caller is.
global using CreationWorkflow.Web.Accounts;
global using CreationWorkflow.Web.Data;
global using CreationWorkflow.Web.Infrastructure;
global using Microsoft.EntityFrameworkCore;

// The host's features that others call.
global using CreationWorkflow.Web.Acceptance;
global using CreationWorkflow.Web.Assignments;
global using CreationWorkflow.Web.Campaigns;
global using CreationWorkflow.Web.Mail;
global using CreationWorkflow.Web.Programmes;
global using CreationWorkflow.Web.Reminders;
global using CreationWorkflow.Web.Scoring;
global using CreationWorkflow.Web.Supervision;
global using CreationWorkflow.Web.Workflows;

// ASP.NET Core: endpoints, pages, sign-in, options.
global using Microsoft.AspNetCore.Authorization;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Identity;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.AspNetCore.Mvc.RazorPages;
global using Microsoft.Extensions.Options;

// The base library: text, JSON, culture, claims, hashes.
global using System.Globalization;
global using System.Security.Claims;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using System.Text.RegularExpressions;
