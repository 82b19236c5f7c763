// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
package import CosmoliteSQL

/// A container's vector embedding policy, compiled: the distance function and data type of each vector path, which
/// `VectorDistance` uses when its options leave them out.
package final class VectorEmbeddings: Sendable {
    /// The measure of each vector path, by its property names from the item (`/embedding` is `["embedding"]`).
    package let byPath: [[String]: VectorDistance]

    /// Compiled paths.
    package init(_ byPath: [[String]: VectorDistance]) {
        self.byPath = byPath
    }

    /// The policy as one query reads it: through the name its `FROM` binds to the item.
    package final class Scope: Sendable {
        /// The container's vector paths.
        package let embeddings: VectorEmbeddings
        /// The name bound to the item (`c` in `FROM c`).
        package let rootAlias: String

        /// A scope reading `embeddings` through `rootAlias`.
        package init(_ embeddings: VectorEmbeddings, rootAlias: String) {
            self.embeddings = embeddings
            self.rootAlias = rootAlias
        }

        /// The policy's measure for `expression` when it reads a vector path of the item (`c.embedding`,
        /// `c["embedding"]`), else `nil`.
        package func measure(of expression: Expression) -> VectorDistance? {
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
                    return embeddings.byPath[names.reversed()]
                default:
                    return nil
                }
            }
        }
    }
}
