// SPDX-License-Identifier: Apache-2.0

/// The `capacity` best elements offered so far, by `precedes` (a binary heap whose root is the worst element kept):
/// a ranked page keeps its best rows in O(n log k) time and O(k) memory, however many rows it scores.
struct BestRows<Element> {
    /// The most elements kept.
    let capacity: Int
    /// Whether the first element ranks before (is better than) the second.
    let precedes: (Element, Element) -> Bool
    /// The heap: no element ranks after its parent.
    private var heap = [Element]()

    /// An empty collection keeping at most `capacity` elements.
    init(capacity: Int, precedes: @escaping (Element, Element) -> Bool) {
        self.capacity = capacity
        self.precedes = precedes
    }

    /// How many elements are kept.
    var count: Int { heap.count }

    /// The worst element kept once `capacity` are (an offered element must rank before it to be kept), else `nil`.
    var worstKept: Element? { heap.count == capacity ? heap.first : nil }

    /// Offers an element: kept when fewer than `capacity` are, or when it ranks before the worst one kept (which it
    /// then replaces).
    mutating func offer(_ element: Element) {
        if heap.count < capacity {
            heap.append(element)
            siftUp(heap.count - 1)
        } else if capacity > 0, precedes(element, heap[0]) {
            heap[0] = element
            siftDown(0)
        }
    }

    /// The kept elements, best first.
    func sorted() -> [Element] { heap.sorted(by: precedes) }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            var worst = parent
            let left = 2 * parent + 1
            if left < heap.count && precedes(heap[worst], heap[left]) { worst = left }
            if left + 1 < heap.count && precedes(heap[worst], heap[left + 1]) { worst = left + 1 }
            guard worst != parent else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
