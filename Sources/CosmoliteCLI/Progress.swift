// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The options of commands that may run long (export, import): `--quiet`, and a hidden `--progress-interval`.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print no progress on standard error (errors and the summary still print).")
    var quiet = false

    /// Seconds between plain progress lines when standard error is not a terminal (default 5; tests use 0).
    @Option(name: .customLong("progress-interval"), help: .hidden)
    var progressInterval: Double?

    /// A reporter for a run of `verb` over `unit`s, drawn on standard error.
    func reporter(verb: String, unit: String) -> ProgressReporter {
        let style: ProgressReporter.Style = quiet ? .none : (isatty(STDERR_FILENO) != 0 ? .bar : .lines)
        return ProgressReporter(verb: verb, unit: unit, style: style,
                                interval: progressInterval ?? (style == .bar ? 0.1 : 5))
    }
}

/// Reports the progress of a long export or import on standard error.
///
/// On a terminal it redraws one line in place: a bar, the count, the rate and the time left; elsewhere (a log
/// file, a pipe) it prints a plain line every few seconds, `progress: import 52,000 items (52%), 48,210
/// items/s, about 1.0 s left`; with `--quiet`, nothing. Standard output is never touched, so an export to
/// standard output stays clean.
final class ProgressReporter {
    /// How progress is shown.
    enum Style {
        /// A bar redrawn in place (standard error is a terminal).
        case bar
        /// Periodic plain lines.
        case lines
        /// Nothing.
        case none
    }

    private let verb: String
    private let unit: String
    private let style: Style
    private let interval: Double
    private let started = Units.now()
    private var lastDrawn: Double
    private var drewBar = false
    private let colors: Bool

    /// The work done: units (items) and, for imports, bytes read.
    private(set) var count = 0
    private var bytes = 0
    /// The expected total of units (exports), if known.
    var totalCount: Int?
    /// The expected total of bytes (imports of a regular file), if known.
    var totalBytes: Int?

    init(verb: String, unit: String, style: Style, interval: Double) {
        self.verb = verb
        self.unit = unit
        self.style = style
        self.interval = interval
        self.lastDrawn = started
        self.colors = style == .bar && Terminal.colorsEnabled
    }

    /// Seconds since the reporter was created.
    var elapsed: Double { Units.now() - started }

    /// Records `count` units done so far (and `bytes` read), drawing if the interval has passed.
    func update(count: Int, bytes: Int = 0) {
        self.count = count
        self.bytes = bytes
        guard style != .none else { return }
        let now = Units.now()
        guard now - lastDrawn >= interval else { return }
        lastDrawn = now
        draw(now: now)
    }

    /// Ends the report: the bar is drawn one last time and the line ended.
    func finish() {
        guard style == .bar, drewBar else { return }
        draw(now: Units.now(), final: true)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// The fraction done, when a total is known.
    private var fraction: Double? {
        if let totalBytes, totalBytes > 0 { return min(1, Double(bytes) / Double(totalBytes)) }
        if let totalCount, totalCount > 0 { return min(1, Double(count) / Double(totalCount)) }
        return nil
    }

    private func draw(now: Double, final: Bool = false) {
        let seconds = now - started
        let rate = "\(Units.rate(count, seconds: seconds)) \(unit)/s"
        var eta: String?
        if let fraction, fraction > 0, !final {
            eta = Units.duration(seconds / fraction - seconds)
        }
        switch style {
        case .none:
            return
        case .lines:
            var line = "progress: \(verb) \(Units.count(count)) \(unit)"
            if let fraction { line += " (\(Int(fraction * 100))%)" }
            line += ", \(rate)"
            if let eta { line += ", about \(eta) left" }
            StandardStreams.writeErrorLine(line)
        case .bar:
            drewBar = true
            let width = 24
            var line = "\r\u{1B}[2K\(verb) "
            if let fraction {
                let filled = Int(Double(width) * (final ? 1 : fraction))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                line += (colors ? "\u{1B}[32m" + bar + "\u{1B}[0m" : bar) + " \(Int((final ? 1 : fraction) * 100))% "
            }
            line += "\(Units.count(count)) \(unit)  \(rate)"
            line += final ? "  \(Units.duration(seconds))" : (eta.map { "  ETA \($0)" } ?? "")
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}

/// What the terminal can show.
enum Terminal {
    /// Whether to use colours on standard error: it is a terminal, `NO_COLOR` is not set and `TERM` is not `dumb`.
    static var colorsEnabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDERR_FILENO) != 0 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }
}
