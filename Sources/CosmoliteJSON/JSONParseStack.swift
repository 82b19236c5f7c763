// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONParseStack

/// A growable stack in manually managed memory, used by ``JSONParser`` for the members of the
/// containers being parsed.
///
/// Unlike an `Array`, it can *move* its top elements into a new array (``popArray(from:)``), so a
/// finished container takes ownership of its members without retaining and releasing each one.
/// Elements left on the stack (after an error) are destroyed with the stack.
struct JSONParseStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// The number of elements on the stack.
    private(set) var count = 0

    /// Creates an empty stack with room for `capacity` elements before it grows.
    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Pushes an element.
    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count &+= 1
    }

    /// Accesses the element at `index` (counted from the bottom of the stack).
    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// The elements from `start` to the top, as a read-only buffer valid until the next mutation.
    @inline(__always)
    func elements(from start: Int) -> UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: base + start, count: count - start)
    }

    /// Moves the elements from `start` to the top into a new array, in order, and pops them.
    mutating func popArray(from start: Int) -> [Element] {
        let moved = count - start
        guard moved > 0 else { return [] }
        // `Array(unsafeUninitializedCapacity:)` would be simpler, but it allocates through an
        // unspecialized runtime entry point that looks up type metadata on every call.
        var result: [Element] = []
        result.reserveCapacity(moved)
        for k in start..<count {
            result.append((base + k).move())
        }
        count = start
        return result
    }

    /// Pops the elements from `start` to the top, destroying them.
    mutating func pop(from start: Int) {
        (base + start).deinitialize(count: count - start)
        count = start
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
