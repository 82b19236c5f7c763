// SPDX-License-Identifier: Apache-2.0

/// A container's vector embedding policy, compiled: the distance function and data type of each vector path, which
/// `VectorDistance` uses when its options leave them out.
package final class VectorEmbeddings: Sendable {
    /// The measure of each vector path, by its property names from the item (`/embedding` is `["embedding"]`).
    package let byPath: [[String]: VectorDistance]

    /// Compiled paths.
    package init(_ byPath: [[String]: VectorDistance]) {
        self.byPath = byPath
    }
}
