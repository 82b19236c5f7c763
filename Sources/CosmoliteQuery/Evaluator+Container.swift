// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteSQL
import CosmoliteStorage

extension Evaluator {
    /// This evaluator, reading the computed properties of `runtime`'s container through the name `query` binds to
    /// the item (`c` in `FROM c`; the container name in `FROM x IN c.tags`, whose `IN` path reads the item).
    func reading(_ runtime: ContainerRuntime, for query: Query) -> Evaluator {
        guard let computed = runtime.computedProperties, let from = query.from else { return self }
        var evaluator = self
        evaluator.computed = computed
        evaluator.rootAlias = from.path == nil && from.iteration == nil ? from.alias : from.containerName
        return evaluator
    }
}
