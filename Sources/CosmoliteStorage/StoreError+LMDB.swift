// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB

// The one table mapping LMDB failures to engine errors.
extension StoreError {
    /// Maps an LMDB error to a store error.
    static func from(_ error: LMDBError) -> StoreError {
        switch error.code {
        case .noSpace:
            return StoreError(.storageFull, "the disk is full; free space and retry (\(error.function))", cause: error)
        case .corrupted, .pageNotFound, .panic, .invalid:
            return StoreError(.corrupted,
                "the store file is damaged (\(error)); restore a backup or run cosmolite verify", cause: error)
        case .versionMismatch, .incompatible:
            return StoreError(.unavailable,
                "the store file was written by an incompatible LMDB build (\(error))", cause: error)
        case .readersFull:
            return StoreError(.unavailable,
                "too many concurrent readers; retry, or check for crashed processes holding reader slots",
                cause: error)
        case .busy:
            return StoreError(.unavailable, "the store is locked by another process; retry later", cause: error)
        case .accessDenied:
            return StoreError(.unavailable, "permission denied on the store files", cause: error)
        case .ioError:
            return StoreError(.unavailable, "an I/O error occurred on the store file (\(error))", cause: error)
        case .mapFull:
            return StoreError(.storageFull, "the store could not grow its map (\(error))", cause: error)
        default:
            return StoreError(.internalError, "storage engine failure: \(error)", cause: error)
        }
    }

    /// Maps a failure to open the environment at `path`.
    static func opening(path: String, _ error: LMDBError) -> StoreError {
        switch error.code {
        case .noSuchFile:
            return StoreError(.unavailable,
                "no store at '\(path)'; create it by opening it writable, or pass the right --store path",
                cause: error)
        case .accessDenied:
            return StoreError(.unavailable, "permission denied opening the store at '\(path)'", cause: error)
        case .busy:
            return StoreError(.unavailable, "the store at '\(path)' is locked by another process", cause: error)
        case .invalid, .corrupted, .versionMismatch, .invalidArgument:
            return StoreError(.corrupted,
                "'\(path)' is not a Cosmolite store or its file is damaged (\(error))", cause: error)
        default:
            let mapped = from(error)
            return StoreError(mapped.code, "cannot open the store at '\(path)': \(mapped.message)", cause: error)
        }
    }

    /// Runs `body`, converting LMDB errors; every other error passes through unchanged.
    static func wrapping<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as LMDBError {
            throw from(error)
        }
    }
}
