# Production image of the host. Build: docker compose build
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/CreationWorkflow.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY seed /seed
COPY workflows /workflows
ENV CreationWorkflow__SeedPath=/seed \
    CreationWorkflow__WorkflowsPath=/workflows \
    CreationWorkflow__DataPath=/data \
    ASPNETCORE_URLS=http://+:8080
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "CreationWorkflow.Web.dll"]
