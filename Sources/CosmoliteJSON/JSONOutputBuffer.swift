// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONOutputBuffer

/// A growable byte buffer in manually managed memory, which ``JSONWriter`` writes into.
///
/// Appending to it only checks capacity: unlike appending to an `[UInt8]`, there is no
/// copy-on-write uniqueness check and no generic sequence machinery per call.
struct JSONOutputBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0

    /// Creates an empty buffer with room for `capacity` bytes before it grows.
    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far, valid until the next mutation.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        base[count] = byte
        count &+= 1
    }

    /// Appends `length` bytes starting at `bytes`.
    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, count length: Int) {
        if count + length > capacity { grow(toHold: count + length) }
        (base + count).initialize(from: bytes, count: length)
        count &+= length
    }

    /// Appends the UTF-8 bytes of a static string.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    /// Appends `byte` `repetitions` times.
    mutating func append(_ byte: UInt8, repeating repetitions: Int) {
        guard repetitions > 0 else { return }
        if count + repetitions > capacity { grow(toHold: count + repetitions) }
        (base + count).initialize(repeating: byte, count: repetitions)
        count &+= repetitions
    }

    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
