// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteSQL
import CosmoliteStorage

extension Evaluator {
    /// An evaluator for `query` over `runtime`'s container: it reads the container's computed properties (and its
    /// vector paths' distance functions) through the name the query binds to the item (`c` in `FROM c`; the container name in `FROM x IN c.tags`, whose `IN`
    /// path reads the item).
    init(parameters: [String: JSONValue], now: Double, runtime: ContainerRuntime, query: Query) {
        var scope: ComputedProperties.Scope?
        var vectors: VectorEmbeddings.Scope?
        if let from = query.from, from.subquery == nil {
            let rootAlias = from.path == nil && from.iteration == nil ? from.alias : from.containerName
            scope = runtime.computedProperties.map { ComputedProperties.Scope($0, rootAlias: rootAlias) }
            vectors = runtime.vectorEmbeddings.map { VectorEmbeddings.Scope($0, rootAlias: rootAlias) }
        }
        self.init(parameters: parameters, now: now, computed: scope)
        self.vectors = vectors
    }
}
