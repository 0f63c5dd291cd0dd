import Glibc

/// The process's resident set size, as the kernel counts it.
enum ResidentMemory {
    struct Unreadable: Error {}

    /// Bytes resident now: the second field of `/proc/self/statm` is resident pages.
    static func bytes() throws -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { throw Unreadable() }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { throw Unreadable() }
        let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { throw Unreadable() }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
