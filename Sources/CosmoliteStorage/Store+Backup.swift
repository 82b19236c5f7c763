// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What ``Store/backup(to:compact:)`` wrote.
public struct BackupResult: Sendable {
    /// The backup directory (absolute); it holds one file, `data.mdb`, and can be opened as a store as it is.
    public let path: String
    /// The size of the backup's `data.mdb` in bytes.
    public let bytes: Int
    /// The bytes the live store used when the backup began (its pages in use, free pages included).
    public let sourceBytes: Int
    /// The last transaction committed before the backup began: the backup holds it and every earlier one.
    public let transactionID: Int
    /// How long the copy took, in seconds.
    public let seconds: Double
}

/// What ``Store/restore(from:to:replacing:verify:)`` did.
public struct RestoreResult: Sendable {
    /// The store directory restored into (absolute).
    public let path: String
    /// The size of the restored `data.mdb` in bytes.
    public let bytes: Int
    /// Whether a store that was there before was replaced.
    public let replacedExisting: Bool
    /// Whether the consistency checker ran on the backup before it was put in place (and found nothing).
    public let verified: Bool
    /// The number of containers in the restored store.
    public let containers: Int
}

/// Whether a store directory is open in some process, from the POSIX record lock LMDB keeps on `lock.mdb`.
///
/// Every process that has an LMDB environment open holds a shared (read) lock on the first byte of its
/// `lock.mdb`; the first process to open it holds an exclusive (write) lock for a moment while it initializes
/// the file, and ``Store/restore(from:to:replacing:verify:)`` holds one while it swaps the data file.
public enum StoreLockState: Sendable, Hashable {
    /// There is no store (no `data.mdb`) in the directory, or the directory does not exist.
    case noStore
    /// A store is there and no process has it open.
    case notInUse
    /// At least one process has the store open (the number is one of them).
    case inUse(processID: Int32)
    /// A process holds the store's lock exclusively (a restore in progress, or a process opening it right now):
    /// opening it waits until that process lets go.
    case lockedExclusively(processID: Int32)
}

extension Store {
    // MARK: - Backup

    /// Writes a consistent, compacted copy of the live store into a new directory: a hot backup.
    ///
    /// ```swift
    /// let result = try store.backup(to: "/backups/2024-05-01")
    /// print(result.bytes)
    /// ```
    ///
    /// The copy is LMDB's `mdb_env_copy2` under one read transaction: it holds exactly the writes committed
    /// before it began, whatever other threads and processes write meanwhile (they are not blocked). With
    /// `compact` (the default) free pages are left out and pages renumbered, so the copy is usually smaller than
    /// the live file. The copy is written into a hidden sibling directory, synced to disk, and renamed into
    /// place, so `directory` never holds a partial backup. The result is a store directory: open it with
    /// ``open(at:configuration:)``, or put it back with ``restore(from:to:replacing:verify:)``.
    ///
    /// Must not be called inside a read or write of this store.
    ///
    /// - Parameter directory: Where to write the backup: a path that does not exist yet, or an empty directory.
    ///   Missing parent directories are created.
    /// - Throws: ``StoreError`` 409 when `directory` exists and is not empty; 503 or 507 for file-system failures.
    public func backup(to directory: String, compact: Bool = true) throws -> BackupResult {
        let started = Self.monotonicSeconds()
        let target = Self.absolutePath(directory)
        try Self.requireEmptyOrMissing(target, what: "the backup directory",
                                       hint: "choose a new path; an existing backup is never overwritten")
        let parent = (target as NSString).deletingLastPathComponent
        try Self.makeDirectories(parent)
        Self.removeAbandonedStages(of: target, kind: "partial")
        let stage = parent + "/." + (target as NSString).lastPathComponent + ".partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(stage, 0o755) == 0 else { throw Self.fileError("cannot write the backup into '\(parent)'", errno) }
        defer { try? FileManager.default.removeItem(atPath: stage) }
        let info = try StoreError.wrapping { try environment.info }
        try StoreError.wrapping { try environment.copy(to: stage, compact: compact) }
        try Self.syncFile(stage + "/data.mdb")
        if FileManager.default.fileExists(atPath: target) { rmdir(target) }
        guard rename(stage, target) == 0 else {
            throw Self.fileError("cannot move the backup into '\(target)'", errno)
        }
        Self.syncDirectory(parent)
        return BackupResult(path: target, bytes: Self.fileSize(target + "/data.mdb"), sourceBytes: info.usedBytes,
                            transactionID: info.lastTransactionID,
                            seconds: Self.monotonicSeconds() - started)
    }

    // MARK: - Restore

    /// Puts a backup in place as the store at `path`.
    ///
    /// The backup's `data.mdb` is copied into a hidden sibling of `path`, opened there (which checks that it is a
    /// Cosmolite store of a supported format) and, with `verify`, checked with ``verify(containers:)``; only then
    /// is it renamed over `path/data.mdb`, so a failed restore leaves the old store untouched.
    ///
    /// A store in use is never replaced. The swap happens under an exclusive lock on `path/lock.mdb`, the lock
    /// LMDB itself uses: if any process has the store open the lock is refused and the restore fails with 503,
    /// and a process that opens the store during the swap waits for it. The lock table is then re-initialized
    /// for the new data file before the lock is released.
    ///
    /// The calling process must not have the store at `path` open (closing any descriptor of `lock.mdb` drops
    /// the process's LMDB lock on it, a POSIX rule).
    ///
    /// - Parameters:
    ///   - backup: A backup directory (holding `data.mdb`), or the path of a `data.mdb` file.
    ///   - path: The store directory to restore into; created if missing.
    ///   - replacing: Replace a store that is already at `path` (409 otherwise).
    ///   - verify: Run the consistency checker on the backup first, and refuse it if it finds problems.
    /// - Throws: ``StoreError`` 404 no backup there; 409 a store exists and `replacing` is false, or `path` holds
    ///   other files; 503 the store is in use, or the backup is of another format version; 500 the backup is
    ///   damaged or inconsistent.
    @discardableResult
    public static func restore(from backup: String, to path: String, replacing: Bool = false,
                               verify: Bool = true) throws -> RestoreResult {
        let source = try backupDataFile(backup)
        let target = absolutePath(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw StoreError.badRequest("'\(target)' is a file, not a store directory")
        }
        if let a = canonicalPath(source), a == canonicalPath(target + "/data.mdb") {
            throw StoreError.badRequest("the backup '\(backup)' is the store itself; nothing to restore")
        }
        if case .inUse(let pid) = lockState(at: target) { throw inUse(target, pid) }
        let hasStore = FileManager.default.fileExists(atPath: target + "/data.mdb")
        if hasStore && !replacing {
            throw StoreError.conflict("a store already exists at '\(target)'; pass --force to replace it "
                + "(make a backup of it first if you may need it)")
        }
        if !hasStore {
            let others = ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).filter { $0 != "lock.mdb" }
            if !others.isEmpty {
                let listed = others.sorted().prefix(3).joined(separator: ", ")
                throw StoreError.conflict(
                    "'\(target)' is not empty and holds no store (\(listed)); restore into a new or empty directory")
            }
        }

        // Stage: copy, open (format check), verify.
        let parent = (target as NSString).deletingLastPathComponent
        try makeDirectories(parent)
        removeAbandonedStages(of: target, kind: "restore")
        let stage = parent + "/." + (target as NSString).lastPathComponent + ".restore-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: stage) }
        try makeDirectories(stage)
        try copyFile(source, to: stage + "/data.mdb")
        let containers = try checkBackup(at: stage, named: backup, verify: verify)

        // Swap under LMDB's own lock.
        try makeDirectories(target)
        let lockFile = systemOpen(target + "/lock.mdb", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockFile >= 0 else { throw fileError("cannot open '\(target)/lock.mdb'", errno) }
        defer { close(lockFile) }
        if let failure = LockFileLock.lockExclusively(lockFile) {
            guard failure == EAGAIN || failure == EACCES else { throw fileError("cannot lock '\(target)'", failure) }
            throw inUse(target, LockFileLock.holder(of: lockFile)?.processID ?? 0)
        }
        guard rename(stage + "/data.mdb", target + "/data.mdb") == 0 else {
            throw fileError("cannot move the restored data file into '\(target)'", errno)
        }
        syncDirectory(target)
        // Opening it here, while holding the exclusive lock, makes this process LMDB's "first opener": it resets
        // the reader table and the last-transaction id in lock.mdb to the new data file's. Closing it releases
        // every lock this process holds on lock.mdb.
        do {
            var configuration = StoreConfiguration()
            configuration.readOnly = true
            configuration.ttlSweepInterval = nil
            _ = try Store.open(at: target, configuration: configuration)
        }
        return RestoreResult(path: target, bytes: fileSize(target + "/data.mdb"), replacedExisting: hasStore,
                             verified: verify, containers: containers)
    }

    /// Opens the staged copy of a backup, checks it, and returns its container count; the store is closed again.
    private static func checkBackup(at stage: String, named backup: String, verify: Bool) throws -> Int {
        var configuration = StoreConfiguration()
        configuration.readOnly = true
        configuration.ttlSweepInterval = nil
        let store: Store
        do {
            store = try Store.open(at: stage, configuration: configuration)
        } catch let error as StoreError {
            throw StoreError(error.code, "the backup '\(backup)' cannot be opened: "
                + error.message.replacingOccurrences(of: stage, with: backup) + "; nothing was restored")
        }
        if verify {
            let problems = try store.verify()
            if !problems.isEmpty {
                throw StoreError(.corrupted, "the backup '\(backup)' has \(problems.count) consistency "
                    + "problem\(problems.count == 1 ? "" : "s") (first: \(problems[0])); nothing was restored")
            }
        }
        return try store.containers().count
    }

    // MARK: - Lock probe

    /// Whether the store in `path` is open in some process, without opening it.
    ///
    /// Asks the kernel which process holds LMDB's record lock on `path/lock.mdb` (`fcntl(F_GETLK)`). Must not be
    /// called by a process that has this store open: closing the probe's descriptor would release that
    /// process's own LMDB lock.
    public static func lockState(at path: String) -> StoreLockState {
        let directory = absolutePath(path)
        guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else { return .noStore }
        let fd = systemOpen(directory + "/lock.mdb", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .notInUse }
        defer { close(fd) }
        guard let holder = LockFileLock.holder(of: fd) else { return .notInUse }
        return holder.exclusive ? .lockedExclusively(processID: holder.processID) : .inUse(processID: holder.processID)
    }

    // MARK: - Files

    private static func inUse(_ target: String, _ pid: Int32) -> StoreError {
        StoreError(.unavailable, "the store at '\(target)' is in use by process \(pid); stop every process that "
            + "has it open (servers, writers, other cosmolite commands) and retry")
    }

    /// The data file of a backup given as a directory or as the file itself.
    private static func backupDataFile(_ backup: String) throws -> String {
        let path = absolutePath(backup)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError.notFound("no backup at '\(backup)'")
        }
        guard isDirectory.boolValue else {
            // An export is the file users most often mistake for a backup: say what to do with it.
            if let handle = FileHandle(forReadingAtPath: path), let first = try? handle.read(upToCount: 1),
               first.first == UInt8(ascii: "{") {
                try? handle.close()
                throw StoreError.badRequest("'\(backup)' is a JSON file (an export?), not a backup; load an export "
                                                + "with 'cosmolite import', or give the directory that cosmolite "
                                                + "backup wrote")
            }
            return path
        }
        guard FileManager.default.fileExists(atPath: path + "/data.mdb") else {
            throw StoreError.notFound("'\(backup)' holds no data.mdb; give the directory that cosmolite backup wrote")
        }
        return path + "/data.mdb"
    }

    static func absolutePath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }

    /// The path with symbolic links resolved, or `nil` if it does not exist.
    private static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func requireEmptyOrMissing(_ path: String, what: String, hint: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw StoreError.conflict("\(what) '\(path)' exists and is a file; \(hint)") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if !entries.isEmpty { throw StoreError.conflict("\(what) '\(path)' exists and is not empty; \(hint)") }
    }

    private static func makeDirectories(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "cannot create the directory '\(path)': \(error.localizedDescription)")
        }
    }

    /// Removes what a killed backup or restore of `target` left: its hidden staging siblings
    /// (`.NAME.KIND-PID-N`, `kind` `partial` or `restore`) whose process no longer exists. A stage whose process
    /// is alive, or whose name does not parse, is left alone.
    static func removeAbandonedStages(of target: String, kind: String) {
        let parent = (target as NSString).deletingLastPathComponent
        let prefix = "." + (target as NSString).lastPathComponent + "." + kind + "-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
                  UInt32(rest[rest.index(after: dash)...]) != nil else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: parent + "/" + name)
            }
        }
    }

    /// Copies a file and syncs the copy.
    private static func copyFile(_ source: String, to destination: String) throws {
        let input = systemOpen(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw fileError("cannot read the backup '\(source)'", errno) }
        defer { close(input) }
        let output = systemOpen(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw fileError("cannot create '\(destination)'", errno) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(input, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fileError("cannot read the backup '\(source)'", errno)
            }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { systemWrite(output, $0.baseAddress! + offset, count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw fileError("cannot write '\(destination)'", errno)
                }
                offset += written
            }
        }
        guard fsync(output) == 0 else { throw fileError("cannot sync '\(destination)'", errno) }
    }

    private static func syncFile(_ path: String) throws {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileError("cannot open '\(path)'", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw fileError("cannot sync '\(path)'", errno) }
    }

    /// Makes a rename in `directory` durable (best effort).
    private static func syncDirectory(_ directory: String) {
        let fd = systemOpen(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    private static func fileError(_ what: String, _ code: Int32) -> StoreError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC { return StoreError(.storageFull, "\(what): \(reason); free some space and retry") }
        return StoreError(.unavailable, "\(what): \(reason)")
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

// File-scope wrappers: inside `extension Store`, `open`, `read` and `write` would name the store's own methods.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
