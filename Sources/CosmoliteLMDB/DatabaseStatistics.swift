// SPDX-License-Identifier: Apache-2.0

/// Statistics about one named database, from `mdb_stat`.
public struct DatabaseStatistics: Sendable, Hashable {
    /// The number of key/value pairs.
    public var entries: Int
    /// The depth (height) of the B-tree.
    public var depth: Int
    /// The number of internal (non-leaf) pages.
    public var branchPages: Int
    /// The number of leaf pages.
    public var leafPages: Int
    /// The number of overflow pages (holding large values).
    public var overflowPages: Int
    /// The size of a page in bytes.
    public var pageSize: Int

    /// Creates statistics from their parts.
    public init(entries: Int, depth: Int, branchPages: Int, leafPages: Int, overflowPages: Int, pageSize: Int) {
        self.entries = entries
        self.depth = depth
        self.branchPages = branchPages
        self.leafPages = leafPages
        self.overflowPages = overflowPages
        self.pageSize = pageSize
    }
}
