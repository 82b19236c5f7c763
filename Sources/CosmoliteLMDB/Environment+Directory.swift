// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Environment {
    /// Makes sure `path` is a directory (creating it and its parents if `create`), and returns its canonical
    /// absolute path (symbolic links, `.` and `..` resolved), which identifies the environment in the registry.
    static func prepareDirectory(_ path: String, create: Bool, fileMode: UInt32) throws(LMDBError) -> String {
        guard !path.isEmpty else {
            throw LMDBError(code: .invalidArgument, function: "Environment.open", context: "the path is empty")
        }
        if create {
            try makeDirectories(path, mode: mode_t(fileMode | (fileMode & 0o444) >> 2))
        }
        guard let resolved = realpath(path, nil) else {
            let failure = errno
            let hint = create ? "" : "; a read-only open needs an existing environment"
            throw LMDBError(returnCode: failure, function: "realpath", context: "path: \(path)\(hint)")
        }
        defer { free(resolved) }
        let canonical = String(cString: resolved)
        var status = stat()
        guard stat(canonical, &status) == 0 else {
            throw LMDBError(returnCode: errno, function: "stat", context: "path: \(canonical)")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw LMDBError(
                code: .notADirectory, function: "Environment.open",
                context: "'\(canonical)' is not a directory; an environment is a directory with data.mdb and lock.mdb"
            )
        }
        return canonical
    }

    /// Deletes `data.mdb` in `directory`, ignoring errors.
    static func removeDataFile(in directory: String) {
        unlink(directory + "/data.mdb")
    }

    /// `mkdir -p`: creates `path` and any missing parents. An existing entry is left for the caller to check.
    private static func makeDirectories(_ path: String, mode: mode_t) throws(LMDBError) {
        if mkdir(path, mode) == 0 {
            return
        }
        var failure = errno
        if failure == ENOENT {
            let parent = parentDirectory(of: path)
            if parent != path {
                try makeDirectories(parent, mode: mode)
                failure = mkdir(path, mode) == 0 ? 0 : errno
            }
        }
        guard failure == 0 || failure == EEXIST else {
            throw LMDBError(returnCode: failure, function: "mkdir", context: "path: \(path)")
        }
    }

    /// The parent of `path` ("." for a relative path without a slash, "/" for a child of the root).
    private static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") {
            trimmed.removeLast()
        }
        guard let slash = trimmed.lastIndex(of: "/") else {
            return "."
        }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }
}
