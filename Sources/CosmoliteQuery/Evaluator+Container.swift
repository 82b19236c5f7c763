// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteSQL
import CosmoliteStorage

extension Evaluator {
    /// An evaluator for `query` over `runtime`'s container: it reads the container's computed properties (and its
    /// vector paths' distance functions, its spatial model) through the name the query binds to the item (`c` in `FROM c`; the
    /// container name in `FROM x IN c.tags`, whose `IN` path reads the item).
    init(parameters: [String: JSONValue], now: Double, runtime: ContainerRuntime, query: Query) {
        var item: ItemScope?
        if runtime.computedProperties != nil || runtime.vectorEmbeddings != nil || runtime.spatialModel != .geography,
           let from = query.from, from.subquery == nil {
            item = ItemScope(rootAlias: from.path == nil && from.iteration == nil ? from.alias : from.containerName,
                             computed: runtime.computedProperties, vectors: runtime.vectorEmbeddings,
                             spatialModel: runtime.spatialModel)
        }
        self.init(parameters: parameters, now: now, item: item)
    }
}
