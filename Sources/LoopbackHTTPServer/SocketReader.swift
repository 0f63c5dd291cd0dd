import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered reading of HTTP/1.1 requests from one blocking socket.
struct SocketReader {
    let fd: Int32
    private var buffer = Data()
    /// Requests larger than this are refused by closing the connection.
    private static let maximumHeadBytes = 64 * 1024

    init(fd: Int32) {
        self.fd = fd
    }

    /// Reads whatever arrives next into the buffer; false on end of stream or error.
    mutating func readMore() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    /// The next complete request, or nil when the peer closed the connection or sent garbage.
    mutating func readRequest() -> LoopbackHTTPServer.Request? {
        let separator = Data("\r\n\r\n".utf8)
        var headEnd = buffer.range(of: separator)
        while headEnd == nil {
            guard buffer.count < Self.maximumHeadBytes, readMore() else { return nil }
            headEnd = buffer.range(of: separator)
        }
        guard let headEnd else { return nil }
        let headText = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = headEnd.upperBound
        while buffer.distance(from: bodyStart, to: buffer.endIndex) < length {
            guard readMore() else { return nil }
        }
        let bodyEnd = buffer.index(bodyStart, offsetBy: length)
        let body = Data(buffer[bodyStart..<bodyEnd])
        buffer = Data(buffer[bodyEnd...])

        let target = String(requestLine[1])
        let path: String, query: String
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = ""
        }
        return LoopbackHTTPServer.Request(method: String(requestLine[0]), path: path, query: query, headers: headers, body: body)
    }
}
