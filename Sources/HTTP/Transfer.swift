import CCurl
import Foundation

/// One request in flight on the curl thread: its easy handle and where results go.
///
/// Only the curl thread touches a `Transfer` after it is handed over; the continuations it
/// resumes are the only thing other threads see.
final class Transfer: @unchecked Sendable {
    // @unchecked: a Transfer is built on the calling thread and then handed whole to the curl
    // thread by `CurlLoop.post`; from then on only that thread reads or writes it.

    enum Delivery {
        /// Collect the body; resume once with the whole response.
        case buffered(CheckedContinuation<HTTPResponse, any Error>)
        /// Resume `head` when headers are complete, then stream body bytes.
        case streaming(head: CheckedContinuation<HTTPResponseHead, any Error>?, body: AsyncThrowingStream<Data, any Error>.Continuation)
    }

    let id: UInt64
    let request: HTTPRequest
    /// Set by the caller's cancellation, read by the curl thread: a cancel that overtakes the
    /// start in the loop's inbox still stops the transfer before it begins.
    let cancellation: CancellationFlag
    var delivery: Delivery
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var status = 0
    var headers: [(name: String, value: String)] = []
    var body = Data()
    var headComplete = false
    /// curl writes its detailed error text here; it must outlive the easy handle.
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        return buffer
    }()

    init(id: UInt64, request: HTTPRequest, cancellation: CancellationFlag, delivery: Delivery) {
        self.id = id
        self.request = request
        self.cancellation = cancellation
        self.delivery = delivery
    }

    deinit { errorBuffer.deallocate() }

    /// Called by curl for each header line, status lines included.
    func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new header block (after 100 Continue or a redirect) replaces the previous one.
            headers = []
            status = trimmed.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        } else if trimmed.isEmpty {
            if status >= 200 { completeHead() }
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers.append((
                String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces),
                String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        completeHead()
        switch delivery {
        case .buffered: body.append(contentsOf: bytes)
        case .streaming(_, let stream): stream.yield(Data(bytes))
        }
    }

    private func completeHead() {
        guard !headComplete else { return }
        headComplete = true
        if case .streaming(let head?, let stream) = delivery {
            head.resume(returning: HTTPResponseHead(status: status, headers: headers))
            delivery = .streaming(head: nil, body: stream)
        }
    }

    /// Ends the transfer: resumes whoever waits, exactly once.
    func finish(_ error: (any Error)?) {
        switch delivery {
        case .buffered(let continuation):
            if let error {
                continuation.resume(throwing: error)
            } else {
                continuation.resume(returning: HTTPResponse(head: HTTPResponseHead(status: status, headers: headers), body: body))
            }
        case .streaming(let head, let stream):
            if let head {
                if let error { head.resume(throwing: error) } else {
                    head.resume(returning: HTTPResponseHead(status: status, headers: headers))
                }
            }
            stream.finish(throwing: error)
        }
    }
}
