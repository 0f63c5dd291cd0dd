import Synchronization

/// Hands out even UDP ports from the `rtp.conf` range, starting at a random place like
/// `res_rtp_asterisk.c`, and takes them back when a channel dies.
final class PortAllocator: Sendable {
    private let range: ClosedRange<Int>
    private let inUse = Mutex<Set<Int>>([])

    init(range: ClosedRange<Int>) { self.range = range }

    /// Ports currently held by live channels (for leak checks).
    var held: Set<Int> { inUse.withLock { $0 } }

    /// Tries ports until `bind` succeeds; nil when the range is exhausted.
    func allocate(_ bind: (Int) -> Bool) -> Int? {
        let evens = stride(from: range.lowerBound + range.lowerBound % 2, through: range.upperBound, by: 2).map { $0 }
        guard !evens.isEmpty else { return nil }
        let start = Int.random(in: 0..<evens.count)
        for offset in 0..<evens.count {
            let port = evens[(start + offset) % evens.count]
            let claimed = inUse.withLock { $0.insert(port).inserted }
            guard claimed else { continue }
            if bind(port) { return port }
            release(port)
        }
        return nil
    }

    func release(_ port: Int) { _ = inUse.withLock { $0.remove(port) } }
}
