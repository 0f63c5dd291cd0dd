import CCurl
import Foundation
import Synchronization

/// The thread that owns one curl multi handle and runs every transfer of an ``HTTPClient``.
///
/// curl handles are not thread-safe and curl's calls block, so they never run on Swift's
/// cooperative pool (two threads on a two-core host). Other threads post ``Command``s into a
/// locked inbox and wake the loop with `curl_multi_wakeup`; results leave through the
/// transfers' continuations. Connections are kept alive in the multi handle and reused.
final class CurlLoop: @unchecked Sendable {
    // @unchecked: `multi` and `transfers` are touched only on the loop's own thread (see `run`);
    // the inbox is the only shared state and it sits in a Mutex.

    enum Command {
        case start(Transfer)
        case cancel(UInt64)
        case stop
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex<[Command]>([])
    private var transfers: [UInt64: Transfer] = [:]
    private let nextID = Atomic<UInt64>(1)
    private let stopped = Mutex(false)

    init(name: String) {
        _ = CurlLoop.globalInit
        multi = curl_multi_init()
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// curl_global_init is not thread-safe: run it once before any loop thread exists.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    func makeID() -> UInt64 { nextID.add(1, ordering: .relaxed).oldValue }

    /// Posts a command to the loop thread. A transfer posted after ``Command/stop`` fails with
    /// ``HTTPClientError/shutDown`` at once.
    func post(_ command: Command) {
        let accepted = stopped.withLock { stopped in
            guard !stopped else { return false }
            if case .stop = command { stopped = true }
            inbox.withLock { $0.append(command) }
            return true
        }
        if accepted {
            curl_multi_wakeup(multi)
        } else if case .start(let transfer) = command {
            transfer.finish(HTTPClientError.shutDown)
        }
    }

    private func run() {
        var running = true
        while running {
            for command in inbox.withLock({ inbox in defer { inbox.removeAll() }; return inbox }) {
                switch command {
                case .start(let transfer): start(transfer)
                case .cancel(let id): if let transfer = transfers[id] { end(transfer, error: CancellationError()) }
                case .stop: running = false
                }
            }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                var raw: UnsafeMutableRawPointer?
                _ = ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &raw)
                guard let raw else { continue }
                let transfer = Unmanaged<Transfer>.fromOpaque(raw).takeUnretainedValue()
                end(transfer, error: error(for: message.pointee.data.result, transfer: transfer))
            }
            if running { curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
        for transfer in transfers.values { end(transfer, error: HTTPClientError.shutDown) }
        for command in inbox.withLock({ $0 }) {
            if case .start(let transfer) = command { transfer.finish(HTTPClientError.shutDown) }
        }
        curl_multi_cleanup(multi)
    }

    private func start(_ transfer: Transfer) {
        // Its cancel may have been handled before this start: it is then never begun.
        guard !transfer.cancellation.isSet else {
            transfer.finish(CancellationError())
            return
        }
        guard let easy = curl_easy_init() else {
            transfer.finish(HTTPClientError.transfer(url: transfer.request.url.absoluteString, code: -1, reason: "curl_easy_init failed"))
            return
        }
        transfer.easy = easy
        configure(easy, for: transfer)
        transfers[transfer.id] = transfer
        curl_multi_add_handle(multi, easy)
    }

    private func end(_ transfer: Transfer, error: (any Error)?) {
        transfers[transfer.id] = nil
        if let easy = transfer.easy {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            transfer.easy = nil
        }
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
        transfer.finish(error)
    }

    private func error(for code: CURLcode, transfer: Transfer) -> (any Error)? {
        guard code != CURLE_OK else { return nil }
        let url = transfer.request.url.absoluteString
        let detail = String(cString: transfer.errorBuffer)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return HTTPClientError.timedOut(url: url)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            return HTTPClientError.connectionFailed(url: url, reason: reason)
        default: return HTTPClientError.transfer(url: url, code: Int(code.rawValue), reason: reason)
        }
    }

    private func configure(_ easy: UnsafeMutableRawPointer, for transfer: Transfer) {
        let request = transfer.request
        let opaque = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, opaque)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url.absoluteString)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeout.milliseconds)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.milliseconds)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        if let trusted = request.trustedCertificatesPath {
            _ = ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, trusted)
        }

        _ = ccurl_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, opaque)
        _ = ccurl_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            transfer.receiveHeaderLine(String(decoding: bytes, as: UTF8.self))
            return size * count
        }
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, opaque)

        if let auth = request.basicAuth {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTPAUTH, Int(bitPattern: UInt(ccurl_auth_basic())))
            _ = ccurl_easy_setopt_string(easy, CURLOPT_USERNAME, auth.username)
            _ = ccurl_easy_setopt_string(easy, CURLOPT_PASSWORD, auth.password)
        }

        switch request.method {
        case .get: _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case .post: _ = ccurl_easy_setopt_long(easy, CURLOPT_POST, 1)
        default: _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let body = request.body {
            _ = ccurl_easy_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies now, so the Data may go away before the transfer ends.
                _ = ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        } else if request.method == .post || request.method == .put || request.method == .patch {
            // An empty body still needs Content-Length: 0, which some servers insist on.
            _ = ccurl_easy_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            _ = ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
        }

        // No "Expect: 100-continue": it costs a round trip and Asterisk never needs it.
        var list = curl_slist_append(nil, "Expect:")
        for header in request.headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        transfer.headerList = list
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive timeout never becomes "no timeout" (0).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }
}
