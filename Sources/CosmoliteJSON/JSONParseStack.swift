// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONParseStack

/// A growable stack in manually managed memory, used by ``JSONParser`` for the members of the
/// containers being parsed and for decoding escaped strings.
///
/// Unlike an `Array`, it can *move* its top elements into a new array (``popArray(from:)``), so a
/// finished container takes ownership of its members without retaining and releasing each one.
///
/// A stack starts in memory lent by its creator (so that one allocation serves all of a parser's
/// stacks) and moves to memory of its own when it outgrows it. Elements left on the stack (after an
/// error) are destroyed with the stack.
struct JSONParseStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Whether `base` was allocated by the stack (rather than lent at creation).
    private var ownsStorage = false
    /// The number of elements on the stack.
    private(set) var count = 0

    /// Creates an empty stack that starts in `capacity` elements of lent, uninitialized memory.
    ///
    /// - Precondition: `storage` is aligned for `Element` and outlives the stack.
    init(lentStorage storage: UnsafeMutableRawPointer, capacity: Int) {
        precondition(capacity > 0 && Int(bitPattern: storage) % MemoryLayout<Element>.alignment == 0)
        self.capacity = capacity
        base = storage.bindMemory(to: Element.self, capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        if ownsStorage { base.deallocate() }
    }

    /// The number of bytes of lent storage that `capacity` elements need.
    static func byteCount(capacity: Int) -> Int {
        MemoryLayout<Element>.stride * capacity
    }

    /// Pushes an element.
    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow(toHold: count + 1) }
        (base + count).initialize(to: element)
        count &+= 1
    }

    /// Pushes copies of `elements`, in order.
    mutating func push(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress else { return }
        if count + elements.count > capacity { grow(toHold: count + elements.count) }
        (base + count).initialize(from: source, count: elements.count)
        count &+= elements.count
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

    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }
}
