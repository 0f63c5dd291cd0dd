import DequeModule
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The threads conversation loops and their replies run on, as their tasks' executor preference.
///
/// Why not the default pool: the media clock wakes a conversation task every 20 ms per call (a
/// caller frame to hear, room in the reply's queue), and a wake-up on the default executor
/// allocates in libdispatch when it comes from a thread of ura's own such as the clock. Here
/// a wake-up is a slot in a deque and a semaphore signal, so the media threads allocate nothing
/// whatever the bot. As many threads as cores, like the default pool; work that blocks (an
/// offline decoder) costs these threads what it would cost that pool's.
public final class PipelineExecutor: TaskExecutor {
    /// The one executor every pipeline uses; its threads live as long as the process.
    public static let shared = PipelineExecutor(threads: max(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    /// Jobs waiting for a thread; grows only when more wait than ever before.
    private let jobs = Mutex(Deque<UnownedJob>(minimumCapacity: 1024))
    /// One signal per job queued: a worker waits on it, then takes a job.
    private let ready = DispatchSemaphore(value: 0)

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread(executor: self, name: "ura-voice-\(index)")
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    fileprivate func work() -> Never {
        let executor = asUnownedTaskExecutor()
        while true {
            ready.wait()
            guard let job = jobs.withLock({ $0.popFirst() }) else { continue }
            job.runSynchronously(on: executor)
        }
    }

    /// A worker: a plain pthread that runs jobs until the process ends.
    private final class Thread: @unchecked Sendable {
        // @unchecked: the fields are set before the thread starts and only read by it.
        let executor: PipelineExecutor
        let name: String

        init(executor: PipelineExecutor, name: String) {
            self.executor = executor
            self.name = name
        }

        /// Names the calling thread for `top -H` and debuggers (what glibc's
        /// `pthread_setname_np` does, which Swift does not import).
        func nameThisThread() {
            let file = open("/proc/thread-self/comm", O_WRONLY)
            guard file >= 0 else { return }
            _ = name.withCString { write(file, $0, strlen($0)) }
            close(file)
        }

        func start() {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self).toOpaque()
            let created = pthread_create(&thread, nil, { raw in
                let worker = Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue()
                worker.nameThisThread()
                worker.executor.work()
            }, box)
            precondition(created == 0, "cannot start a voice thread: error \(created)")
            pthread_detach(thread)
        }
    }
}
