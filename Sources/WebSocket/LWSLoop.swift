import CWebSockets
import Foundation
import Logging
import Synchronization

/// The thread that owns one libwebsockets context and its single client connection.
///
/// lws is not thread-safe: every lws call below runs on this loop's thread, inside
/// `lws_service` callbacks. Other threads post ``Command``s to a locked inbox and wake the loop
/// with `lws_cancel_service` (delivered as `LWS_CALLBACK_EVENT_WAIT_CANCELLED`). Everything the
/// loop learns leaves through an unbounded `AsyncStream`, so the receive path never waits for
/// the consumer: Asterisk drops an events socket it cannot write to within 100 ms.
///
/// Reconnects are driven from `LWS_CALLBACK_WSI_DESTROY` alone, because lws 4.1 reports a
/// handshake timeout with nothing else.
final class LWSLoop: @unchecked Sendable {
    // @unchecked: all stored `var`s are read and written on the loop thread only; `inbox` and
    // `contextAddress` are the shared state, held in a Mutex and an Atomic.

    enum Command {
        case send(Data, binary: Bool)
        case stop
    }

    private let configuration: WebSocketConfiguration
    private let continuation: AsyncStream<WebSocketEvent>.Continuation
    private let inbox = Mutex<[Command]>([])
    private let contextAddress = Atomic<UInt>(0)
    private let finished = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    private var context: OpaquePointer?
    private var wsi: OpaquePointer?
    private var isOpen = false
    private var stopping = false
    private var exitLoop = false
    private var attempt = 0
    private var lastHeard = ContinuousClock.now
    private var lastError = ""
    private var pingDue = false
    private var outgoing: [(data: Data, binary: Bool)] = []
    private var message = Data()
    private let pingTimer = UnsafeMutablePointer<cws_timer>.allocate(capacity: 1)
    private let reconnectTimer = UnsafeMutablePointer<cws_timer>.allocate(capacity: 1)
    private let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
    private let strings: ConnectStrings

    init(configuration: WebSocketConfiguration, continuation: AsyncStream<WebSocketEvent>.Continuation) {
        self.configuration = configuration
        self.continuation = continuation
        strings = ConnectStrings(configuration: configuration)
        for timer in [pingTimer, reconnectTimer] {
            timer.initialize(to: cws_timer())
        }
        protocols.initialize(to: lws_protocols())
        (protocols + 1).initialize(to: lws_protocols())
        protocols.pointee.name = UnsafePointer(strings.localProtocol)
        protocols.pointee.callback = lwsCallback
        protocols.pointee.rx_buffer_size = 65536
    }

    deinit {
        pingTimer.deallocate()
        reconnectTimer.deallocate()
        protocols.deinitialize(count: 2)
        protocols.deallocate()
    }

    func start(threadName: String) {
        let thread = Thread { [self] in run() }
        thread.name = threadName
        thread.start()
    }

    func post(_ command: Command) {
        inbox.withLock { $0.append(command) }
        let address = contextAddress.load(ordering: .acquiring)
        if address != 0, let context = OpaquePointer(bitPattern: address) { lws_cancel_service(context) }
    }

    /// Returns once the loop thread has ended.
    func waitUntilFinished() async {
        await withCheckedContinuation { waiter in
            let done = finished.withLock { state in
                if !state.done { state.waiters.append(waiter) }
                return state.done
            }
            if done { waiter.resume() }
        }
    }

    // MARK: - Loop thread

    private func run() {
        LWSLog.install()
        var info = lws_context_creation_info()
        info.port = CONTEXT_PORT_NO_LISTEN
        info.protocols = UnsafePointer(protocols)
        info.gid = -1
        info.uid = -1
        info.options = cws_option_ssl_global_init()
        info.user = Unmanaged.passUnretained(self).toOpaque()
        info.timeout_secs = UInt32(max(1, configuration.handshakeTimeout.components.seconds))
        info.connect_timeout_secs = info.timeout_secs
        // Kept until the context is gone: lws may read it when it first sets up client TLS.
        let caFile = configuration.caFile.flatMap { strdup($0) }
        defer { free(caFile) }
        info.client_ssl_ca_filepath = UnsafePointer(caFile)
        context = lws_create_context(&info)
        guard let context else {
            continuation.yield(.disconnected(reason: "libwebsockets could not create a context"))
            finish()
            return
        }
        contextAddress.store(UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(context))), ordering: .releasing)
        pingTimer.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        reconnectTimer.pointee.owner = Unmanaged.passUnretained(self).toOpaque()

        drainInbox()
        if !exitLoop { connect() }
        while !exitLoop {
            if lws_service(context, 0) < 0 { break }
        }
        contextAddress.store(0, ordering: .releasing)
        cws_timer_cancel(pingTimer)
        cws_timer_cancel(reconnectTimer)
        stopping = true
        lws_context_destroy(context)
        self.context = nil
        finish()
    }

    private func finish() {
        continuation.finish()
        let waiters = finished.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func connect() {
        guard let context, !stopping else { return }
        var info = lws_client_connect_info()
        info.context = context
        info.address = UnsafePointer(strings.address)
        info.port = strings.port
        info.ssl_connection = strings.useTLS ? cws_client_use_ssl() : 0
        info.path = UnsafePointer(strings.path)
        info.host = UnsafePointer(strings.hostHeader)
        info.origin = UnsafePointer(strings.hostHeader)
        info.protocol = strings.subprotocol.map { UnsafePointer($0) }
        info.local_protocol_name = UnsafePointer(strings.localProtocol)
        info.ietf_version_or_minus_one = -1
        lastError = ""
        wsi = lws_client_connect_via_info(&info)
        if wsi == nil {
            // Refused before a connection object existed: no WSI_DESTROY will come.
            if lastError.isEmpty { lastError = "connect to \(strings.display) failed" }
            connectionEnded()
        }
    }

    /// The one place a connection's end is handled: report it, then stop or schedule a retry.
    private func connectionEnded() {
        wsi = nil
        cws_timer_cancel(pingTimer)
        let reason = lastError.isEmpty ? (isOpen ? "connection closed" : "handshake did not complete") : lastError
        isOpen = false
        message.removeAll()
        pingDue = false
        continuation.yield(.disconnected(reason: reason))
        if stopping || !configuration.reconnects {
            stopping = true
            exitLoop = true
            return
        }
        attempt += 1
        let delay = configuration.backoff.delay(attempt: attempt, jitter: Double.random(in: 0...1))
        continuation.yield(.reconnecting(attempt: attempt, delay: delay))
        cws_timer_schedule(context, reconnectTimer, { sul in LWSLoop.owner(of: sul)?.connect() }, delay.microseconds)
    }

    private func drainInbox() {
        for command in inbox.withLock({ inbox in defer { inbox.removeAll() }; return inbox }) {
            switch command {
            case .send(let data, let binary):
                outgoing.append((data, binary))
                if let wsi, isOpen { lws_callback_on_writable(wsi) }
            case .stop:
                stopping = true
                cws_timer_cancel(reconnectTimer)
                guard let wsi else { exitLoop = true; break }
                if isOpen {
                    // A polite CLOSE from the writeable callback; the timer kills a peer that never lets us write.
                    lws_callback_on_writable(wsi)
                    cws_timer_schedule(context, pingTimer, { sul in LWSLoop.owner(of: sul)?.killConnection() }, 1_000_000)
                } else {
                    cws_kill(wsi)
                }
            }
        }
    }

    private func schedulePing() {
        cws_timer_schedule(context, pingTimer, { sul in LWSLoop.owner(of: sul)?.pingTick() }, configuration.pingInterval.microseconds)
    }

    private func pingTick() {
        guard let wsi, isOpen, !stopping else { return }
        if ContinuousClock.now - lastHeard > configuration.idleTimeout {
            lastError = "no data or pong from the server for \(configuration.idleTimeout)"
            cws_kill(wsi)
            return
        }
        pingDue = true
        lws_callback_on_writable(wsi)
        schedulePing()
    }

    private func killConnection() {
        if let wsi { cws_kill(wsi) }
    }

    private static func owner(of sul: UnsafeMutablePointer<lws_sorted_usec_list_t>?) -> LWSLoop? {
        guard let sul, let owner = cws_timer_from_sul(sul)?.pointee.owner else { return nil }
        return Unmanaged<LWSLoop>.fromOpaque(owner).takeUnretainedValue()
    }

    // MARK: - lws callbacks (loop thread)

    fileprivate func handle(_ connection: OpaquePointer?, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        switch reason {
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            drainInbox()
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            guard let connection, let input else { return 0 }
            let cursor = input.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
            guard let start = cursor.pointee else { return 0 }
            let end = start + length
            for header in configuration.headers {
                let added = "\(header.name.lowercased()):".withCString { name in
                    header.value.withCString { value in
                        lws_add_http_header_by_name(
                            connection, UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self),
                            UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), Int32(strlen(value)), cursor, end)
                    }
                }
                if added != 0 { return -1 }
            }
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            guard connection == wsi else { return 0 }
            isOpen = true
            attempt = 0
            lastHeard = .now
            continuation.yield(.connected)
            schedulePing()
            if !outgoing.isEmpty { lws_callback_on_writable(connection) }
        case LWS_CALLBACK_CLIENT_RECEIVE:
            guard let connection, connection == wsi else { return 0 }
            lastHeard = .now
            if let input, length > 0 { message.append(input.assumingMemoryBound(to: UInt8.self), count: length) }
            if message.count > configuration.maximumMessageBytes {
                lastError = "the server sent a message over \(configuration.maximumMessageBytes) bytes"
                return -1
            }
            if lws_is_final_fragment(connection) != 0, lws_remaining_packet_payload(connection) == 0 {
                let complete = message
                message = Data()
                continuation.yield(lws_frame_is_binary(connection) != 0 ? .binary(complete) : .text(complete))
            }
        case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
            lastHeard = .now
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            guard let connection, connection == wsi else { return 0 }
            if stopping {
                lws_close_reason(connection, LWS_CLOSE_STATUS_NORMAL, nil, 0)
                return -1
            }
            return writeNext(on: connection)
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            if let input, length > 0 {
                lastError = String(decoding: UnsafeRawBufferPointer(start: input, count: length), as: UTF8.self)
            } else if let input {
                lastError = String(cString: input.assumingMemoryBound(to: CChar.self))
            }
            if lastError.isEmpty { lastError = "connection to \(strings.display) failed" }
            // The refusal's status says why (401: the key, 429: the rate limit, 503: overloaded).
            if let connection, case let status = lws_http_client_http_response(connection), status >= 200, status != 101 {
                lastError += " (HTTP \(status))"
            }
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            // The server's CLOSE: a status code, then its own words (a provider's error).
            if let input, length >= 2 {
                let bytes = UnsafeRawBufferPointer(start: input, count: length)
                let code = Int(bytes[0]) << 8 | Int(bytes[1])
                let words = String(decoding: bytes.dropFirst(2).prefix(200), as: UTF8.self)
                lastError = "server closed with \(code)" + (words.isEmpty ? "" : ": \(words)")
            }
        case LWS_CALLBACK_CLIENT_CLOSED:
            if lastError.isEmpty { lastError = "server closed the connection" }
        case LWS_CALLBACK_WSI_DESTROY:
            guard connection != nil, connection == wsi else { return 0 }
            connectionEnded()
        default:
            break
        }
        return 0
    }

    private func writeNext(on connection: OpaquePointer) -> Int32 {
        let pre = cws_pre()
        if pingDue {
            pingDue = false
            var frame = [UInt8](repeating: 0, count: pre + 1)
            let written = frame.withUnsafeMutableBufferPointer { cws_write_ping(connection, $0.baseAddress! + pre, 0) }
            if written < 0 { return -1 }
        } else if !outgoing.isEmpty {
            let (data, binary) = outgoing.removeFirst()
            var frame = [UInt8](repeating: 0, count: pre + data.count)
            frame.replaceSubrange(pre..., with: data)
            let written = frame.withUnsafeMutableBufferPointer {
                binary ? cws_write_binary(connection, $0.baseAddress! + pre, data.count) : cws_write_text(connection, $0.baseAddress! + pre, data.count)
            }
            if written < data.count { return -1 }
        }
        if pingDue || !outgoing.isEmpty { lws_callback_on_writable(connection) }
        return 0
    }
}

/// lws's single protocol callback; finds the ``LWSLoop`` through the context's user pointer.
private func lwsCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let owner = lws_context_user(context) else { return 0 }
    return Unmanaged<LWSLoop>.fromOpaque(owner).takeUnretainedValue().handle(wsi, reason, input, length)
}

extension Duration {
    var microseconds: lws_usec_t {
        let (seconds, attoseconds) = components
        return lws_usec_t(seconds) * 1_000_000 + lws_usec_t(attoseconds / 1_000_000_000_000)
    }
}
