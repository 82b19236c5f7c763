// SPDX-License-Identifier: Apache-2.0

/// The containers the integration services use (defined in `Containers/*.json`, applied by `cosmolite init`).
///
/// ```swift
/// let definitions = try Store.loadContainerDefinitions(fromDirectory: "Containers")
/// _ = try store.applyContainerDefinitions(definitions)
/// ```
public enum IntegrationContainers {
    /// The provider catalog, partitioned by `/category`.
    public static let providers = "integration_providers"
    /// Tenant integrations, partitioned by `/tenantId`.
    public static let integrations = "integrations"
    /// Connections, partitioned by `/integrationId`.
    public static let connections = "integration-connections"
    /// Sync records, partitioned by `/integrationId`, with a 30-day TTL.
    public static let syncExecutions = "sync-executions"
    /// The activity log, partitioned by `/tenantId`.
    public static let activity = "integration-activity"

    /// Every container the services use.
    public static let all = [providers, integrations, connections, syncExecutions, activity]

    /// Containers of earlier designs that `cosmolite init --remove-deprecated` deletes.
    public static let deprecated = ["integrations-old", "tenant-integrations"]
}
