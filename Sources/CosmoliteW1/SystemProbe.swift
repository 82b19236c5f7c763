// SPDX-License-Identifier: Apache-2.0

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the machine and the process for the `env`, `store` and `rss` lines (all untimed).
enum SystemProbe {
    /// `uname -sr`.
    static func kernel() -> String {
        var u = utsname()
        guard uname(&u) == 0 else { return "?" }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
        }
        return "\(field(u.sysname)) \(field(u.release))"
    }

    /// The first `model name` of /proc/cpuinfo.
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "?" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "?"
    }

    static func processorCount() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The compiler this runner was built with (a compile-time constant).
    static let compiler: String = {
        #if compiler(>=6.4)
        return "swiftc >= 6.4"
        #elseif compiler(>=6.3.2)
        return "swiftc 6.3.2+"
        #elseif compiler(>=6.3.1)
        return "swiftc 6.3.1"
        #elseif compiler(>=6.3)
        return "swiftc 6.3"
        #else
        return "swiftc < 6.3"
        #endif
    }()

    /// Peak resident set size so far (getrusage `ru_maxrss`, KiB on Linux).
    static func peakRSSKilobytes() -> Int {
        var ru = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
        return Int(ru.ru_maxrss)
    }

    /// Current resident set size (`VmRSS` of /proc/self/status, KiB).
    static func currentRSSKilobytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// Disk space of every regular file below `path`: allocated (st_blocks × 512) and apparent (st_size) bytes.
    static func diskUsage(_ path: String) -> (allocated: UInt64, apparent: UInt64) {
        var allocated: UInt64 = 0, apparent: UInt64 = 0
        var pending = [path]
        while let dir = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                let full = dir + "/" + name
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG:
                    allocated += UInt64(st.st_blocks) * 512
                    apparent += UInt64(st.st_size)
                case S_IFDIR:
                    pending.append(full)
                default:
                    break
                }
            }
        }
        return (allocated, apparent)
    }

    /// `rm -rf path` (no error if it does not exist).
    static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw W1Error("cannot remove \(path): \(error)")
        }
    }

    /// `mkdir -p path`.
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw W1Error("cannot create \(path): \(error)")
        }
    }
}
