// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - LargeStack

/// Runs work on a short-lived thread with a large stack.
///
/// The parser is recursive, and at its nesting limits it needs about 1 MB of stack in optimized
/// builds and about 5 MB in debug builds, more than the 512 KB that secondary threads (including
/// Swift concurrency's) get on macOS. ``Query/parse(_:)`` therefore parses queries whose bracket
/// nesting could go deep on such a thread; ordinary queries are parsed on the caller's thread.
package enum LargeStack {
    /// The stack size of the helper thread: enough for the parser at its limits in debug builds.
    static let stackSize = 32 << 20

    /// Runs `body` on a helper thread with a ``stackSize`` stack and waits for it; runs it on the
    /// current thread if no thread can be started.
    static func run<T>(_ body: () -> T) -> T {
        var result: T?
        withoutActuallyEscaping({ result = body() }) { work in
            if !runOnThread(stackSize: stackSize, work) {
                work()
            }
        }
        // `result` is always set: either the helper thread or the fallback ran the work.
        return result.unsafelyUnwrapped
    }

    /// The work handed to the helper thread.
    private final class Work {
        let body: () -> Void

        init(_ body: @escaping () -> Void) {
            self.body = body
        }
    }

    /// Runs `work` on a new thread with a `stackSize`-byte stack and joins it; returns `false` if the thread
    /// could not be started. Tests use it to run the parser on small stacks like macOS's secondary threads.
    package static func runOnThread(stackSize: Int, _ work: @escaping () -> Void) -> Bool {
        #if canImport(Glibc) || canImport(Darwin)
            var attributes = pthread_attr_t()
            guard pthread_attr_init(&attributes) == 0 else { return false }
            defer { pthread_attr_destroy(&attributes) }
            guard pthread_attr_setstacksize(&attributes, stackSize) == 0 else { return false }
            let context = Unmanaged.passRetained(Work(work)).toOpaque()
            #if canImport(Darwin)
                var thread: pthread_t?
            #else
                var thread = pthread_t()
            #endif
            let status = pthread_create(
                &thread, &attributes,
                { pointer in
                    LargeStack.perform(pointer)
                    return nil
                }, context)
            guard status == 0 else {
                Unmanaged<Work>.fromOpaque(context).release()
                return false
            }
            #if canImport(Darwin)
                guard let thread else { return true }
            #endif
            pthread_join(thread, nil)
            return true
        #else
            return false
        #endif
    }

    /// The helper thread's entry point: runs and releases the ``Work`` at `pointer`.
    private static func perform(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        Unmanaged<Work>.fromOpaque(pointer).takeRetainedValue().body()
    }
}
