// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
package import CosmoliteSQL

/// What a query reads of its container through the name its `FROM` binds to the item (`c` in `FROM c`): the
/// computed properties (`c.cp_lowerName`) and the vector paths (`VectorDistance(c.embedding, @q)` takes the path's
/// distance function); and the container's spatial model. One optional reference in an ``Evaluator``, so that
/// copying one stays cheap.
package final class ItemScope: Sendable {
    /// The name bound to the item.
    package let rootAlias: String
    /// The container's computed properties, or `nil` when it has none.
    package let computed: ComputedProperties?
    /// The container's vector paths, or `nil` when it has none.
    package let vectors: VectorEmbeddings?
    /// How the spatial functions read GeoJSON values.
    package let spatialModel: SpatialModel

    /// A scope reading `computed` and `vectors` through `rootAlias`, and GeoJSON values under `spatialModel`.
    package init(rootAlias: String, computed: ComputedProperties?, vectors: VectorEmbeddings?,
                 spatialModel: SpatialModel = .geography) {
        self.rootAlias = rootAlias
        self.computed = computed
        self.vectors = vectors
        self.spatialModel = spatialModel
    }

    /// The vector embedding policy's measure for `expression` when it reads a vector path of the item
    /// (`c.embedding`, `c["embedding"]`), else `nil`.
    package func vectorMeasure(of expression: Expression) -> VectorDistance? {
        guard let vectors else { return nil }
        var names = [String]()
        var current = expression
        while true {
            switch current {
            case .property(let base, let name):
                names.append(name)
                current = base
            case .index(let base, .literal(.string(let name)?)):
                names.append(name)
                current = base
            case .identifier(let alias) where alias == rootAlias && !names.isEmpty:
                return vectors.byPath[names.reversed()]
            default:
                return nil
            }
        }
    }
}
