// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - SmallStack

/// Runs test code on a thread with a small stack, like macOS's 512 KB secondary threads.
enum SmallStack {
    private final class Work {
        let body: () -> Void

        init(_ body: @escaping () -> Void) {
            self.body = body
        }
    }

    /// Runs `body` on a new thread with a `size`-byte stack and waits for it; returns `false` if the
    /// thread could not be started.
    static func run(size: Int, _ body: @escaping () -> Void) -> Bool {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0, pthread_attr_setstacksize(&attributes, size) == 0 else {
            return false
        }
        defer { pthread_attr_destroy(&attributes) }
        let context = Unmanaged.passRetained(Work(body)).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let status = pthread_create(
            &thread, &attributes,
            { pointer in
                SmallStack.perform(pointer)
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return false
        }
        #if canImport(Darwin)
            guard let thread else { return false }
        #endif
        pthread_join(thread, nil)
        return true
    }

    private static func perform(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        Unmanaged<Work>.fromOpaque(pointer).takeRetainedValue().body()
    }
}
