// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteSQL
import CosmoliteStorage

extension Evaluator {
    /// An evaluator for `query` over `runtime`'s container: it reads the container's computed properties (and its
    /// vector paths' distance functions) through the name the query binds to the item (`c` in `FROM c`; the
    /// container name in `FROM x IN c.tags`, whose `IN` path reads the item), and GeoJSON values under the
    /// container's spatial model (in every query, with or without `FROM` or a `FROM` subquery).
    init(parameters: [String: JSONValue], now: Double, runtime: ContainerRuntime, query: Query) {
        var item: ItemScope?
        if runtime.computedProperties != nil || runtime.vectorEmbeddings != nil, let from = query.from,
           from.subquery == nil {
            item = ItemScope(rootAlias: from.path == nil && from.iteration == nil ? from.alias : from.containerName,
                             computed: runtime.computedProperties, vectors: runtime.vectorEmbeddings,
                             spatialModel: runtime.spatialModel)
        } else if runtime.spatialModel != .geography {
            // No name reads the item's computed properties here (an identifier is never empty).
            item = ItemScope(rootAlias: "", computed: nil, vectors: nil, spatialModel: runtime.spatialModel)
        }
        self.init(parameters: parameters, now: now, item: item)
    }
}
