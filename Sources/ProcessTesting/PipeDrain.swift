import Foundation
import Synchronization

/// Reads one pipe to its end on a thread of its own.
///
/// Blocking reads must stay off Swift's cooperative pool (two threads on a two-core machine):
/// there they would starve the test's own tasks, and a program that fills one pipe while we
/// wait on the other would never finish. With a thread per pipe both drain at once.
///
/// The thread waits in `poll` with a short timeout rather than in `read`, so that `abandon()`
/// can stop it when something outside our reach (a process that left the program's group) keeps
/// the pipe open; it then hands over what it has read.
final class PipeDrain: Sendable {
    private let handle: FileHandle
    private let abandoned = Atomic<Bool>(false)

    /// How often a waiting drain looks whether it was abandoned.
    private static let abandonCheckMilliseconds: Int32 = 100

    /// Starts reading `handle` on a new thread; `onEnd` gets everything read, once, on that thread.
    init(_ handle: FileHandle, onEnd: @escaping @Sendable (Data) -> Void) {
        self.handle = handle
        Thread { [self] in onEnd(drain()) }.start()
    }

    /// Stops reading within `abandonCheckMilliseconds`, keeping what was read.
    func abandon() {
        abandoned.store(true, ordering: .relaxed)
    }

    private func drain() -> Data {
        let descriptor = handle.fileDescriptor
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !abandoned.load(ordering: .relaxed) {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, Self.abandonCheckMilliseconds)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            // A poll or read error on our own pipe cannot come from the program; end as at EOF.
            guard ready > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return data
    }
}
