#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where finished log lines go. Each call receives one whole line, newline included.
public protocol LogOutput: Sendable {
    func write(line: String)
}

/// Standard error, one `write(2)` per line so lines from different threads never interleave.
public struct StandardErrorOutput: LogOutput {
    public init() {}

    public func write(line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }

    /// Whether standard error is a terminal (for `LOG_FORMAT=auto`).
    public static var isTerminal: Bool { isatty(2) == 1 }
}

/// Keeps lines in memory: for tests and for `ura demo`'s transcript.
public final class MemoryLogOutput: LogOutput {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func write(line: String) { storage.withLock { $0.append(line) } }

    /// Every line written so far.
    public var lines: [String] { storage.withLock { $0 } }
}
