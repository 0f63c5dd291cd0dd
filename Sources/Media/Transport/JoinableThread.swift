import CMediaSockets
import Glibc
import Synchronization

/// A POSIX thread that runs one closure and can be joined, for the media plane's owned loops.
///
/// Foundation's `Thread` cannot be joined, and the reactor and pacer must be able to promise
/// "after `stop()` returns, the loop no longer runs". Join it exactly once; it lives inside
/// its owner's lock.
struct JoinableThread {
    private let handle: pthread_t

    /// Starts a thread named `name` (Linux keeps the first 15 bytes) running `body`.
    ///
    /// - Throws: ``TransportError/system(call:errno:)`` when `pthread_create` fails.
    init(name: String, body: @escaping @Sendable () -> Void) throws(TransportError) {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            cms_thread_set_name(box.name)
            box.body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw .system(call: "pthread_create", errno: result)
        }
        self.handle = handle
    }

    /// True when called on this thread.
    var isCurrent: Bool { pthread_equal(pthread_self(), handle) != 0 }

    /// Waits for the thread to finish. Must not be called on the thread itself.
    func join() {
        precondition(!isCurrent, "a thread cannot join itself")
        pthread_join(handle, nil)
    }

    private final class Box {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
