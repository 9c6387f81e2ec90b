// The namespaces most files of this project use.
global using CreationWorkflow.Core.Programmes;
global using CreationWorkflow.Core.Scoring;
global using CreationWorkflow.Core.Seeding;
global using Stateless;
global using Stateless.Graph;
global using System.Globalization;
global using System.Text.Json;
global using System.Text.RegularExpressions;
