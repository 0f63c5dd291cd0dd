import AsteriskSimulator
import Foundation
import Glibc
import HTTP
import Synchronization
import WebSocket

/// ura's own HTTP client pointed at the simulator, decoding bodies with Foundation (a third,
/// independent JSON reader).
struct ARIClient {
    let asterisk: SimulatedAsterisk
    let http: HTTPClient

    struct Reply {
        var status: Int
        var headers: HTTPResponseHead
        var json: Any?
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var message: String? { object["message"] as? String }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ query: [String: String] = [:], body: String? = nil,
              contentType: String = "application/json", password: String? = nil, auth: Bool = true) async throws -> Reply {
        var components = URLComponents(string: "http://127.0.0.1:\(asterisk.port)/ari\(path)")!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        let request = HTTPRequest(
            method: method, url: components.url!, headers: body == nil ? [] : [("Content-Type", contentType)],
            body: body.map { Data($0.utf8) },
            basicAuth: auth ? .init(username: asterisk.username, password: password ?? asterisk.password) : nil)
        let response = try await http.execute(request)
        let json = response.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: response.body)
        return Reply(status: response.status, headers: response.head, json: json)
    }
}

/// One decoded event. `@unchecked Sendable`: the dictionary is built once by
/// `JSONSerialization` and never changed afterwards, only read.
final class ParsedEvent: @unchecked Sendable {
    let object: [String: Any]

    init?(_ data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        self.object = object
    }
}

/// Events received by a ``WebSocketClient`` on the simulator's events socket, decoded on arrival.
final class EventRecorder: Sendable {
    private let received = Mutex<[ParsedEvent]>([])

    var events: [[String: Any]] { received.withLock { $0 }.map(\.object) }

    var types: [String] { events.compactMap { $0["type"] as? String } }

    func consume(_ stream: AsyncStream<WebSocketEvent>) async {
        for await event in stream {
            if case .text(let data) = event, let parsed = ParsedEvent(data) { received.withLock { $0.append(parsed) } }
        }
    }

    /// The first event matching `predicate`, waiting up to `timeout`.
    func first(timeout: Duration = .seconds(5), where predicate: ([String: Any]) -> Bool) async -> [String: Any]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = events.first(where: predicate) { return event }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return events.first(where: predicate)
    }
}

/// Polls `condition` until it holds; false after `timeout`.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

func channelID(_ event: [String: Any]) -> String? { (event["channel"] as? [String: Any])?["id"] as? String }

/// Runs `body` with a simulator, an HTTP client and an events socket for `apps`, then tears down.
func withSimulator(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(), apps: [String]? = ["ura"],
    _ body: (SimulatedAsterisk, ARIClient, EventRecorder) async throws -> Void
) async throws {
    let asterisk = try await SimulatedAsterisk(configuration: configuration)
    let http = HTTPClient()
    let recorder = EventRecorder()
    defer {
        http.shutdown()
        asterisk.stop()
    }
    guard let apps else {
        try await body(asterisk, ARIClient(asterisk: asterisk, http: http), recorder)
        return
    }
    let basic = Data("\(asterisk.username):\(asterisk.password)".utf8).base64EncodedString()
    let client = WebSocketClient(configuration: WebSocketConfiguration(url: asterisk.eventsURL(apps: apps), headers: [("Authorization", "Basic \(basic)")]))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await recorder.consume(client.events) }
        client.start()
        _ = await eventually { Set(apps).isSubset(of: asterisk.registeredApps) }
        do {
            try await body(asterisk, ARIClient(asterisk: asterisk, http: http), recorder)
        } catch {
            await client.stop()
            throw error
        }
        await client.stop()
        try await group.waitForAll()
    }
}

/// A test-owned UDP socket playing the externalMedia server.
final class UDPPeer: Sendable {
    let fd: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ptr in
                _ = bind(fd, ptr, length)
                return getsockname(fd, ptr, &length)
            }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// One datagram, or nil after `milliseconds`.
    func receive(milliseconds: Int32) -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return got > 0 ? Array(buffer[0..<got]) : nil
    }

    func send(_ bytes: [UInt8], toPort port: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }
}

/// A received RTP header, read by the test's own code.
struct RTPHeader: Equatable {
    var version: UInt8, marker: Bool, payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32, payloadCount: Int

    init?(_ packet: [UInt8]) {
        guard packet.count >= 12 else { return nil }
        version = packet[0] >> 6
        marker = packet[1] & 0x80 != 0
        payloadType = packet[1] & 0x7F
        sequence = UInt16(packet[2]) << 8 | UInt16(packet[3])
        timestamp = packet[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
        ssrc = packet[8..<12].reduce(0) { $0 << 8 | UInt32($1) }
        payloadCount = packet.count - 12 - Int(packet[0] & 0x0F) * 4
    }
}

func rtpPacket(payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32 = 0x1234_5678, payload: [UInt8]) -> [UInt8] {
    [0x80, payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        + (0..<4).map { UInt8(truncatingIfNeeded: timestamp >> (24 - 8 * UInt32($0))) }
        + (0..<4).map { UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * UInt32($0))) } + payload
}

/// A speech-like test signal: a few gliding tones with a syllable envelope.
func testSignal(seconds: Double, sampleRate: Int, seed: Double = 1) -> [Int16] {
    (0..<Int(seconds * Double(sampleRate))).map { index in
        let t = Double(index) / Double(sampleRate)
        let envelope = 0.5 + 0.5 * sin(2 * .pi * 3 * t * seed)
        let tone = sin(2 * .pi * (300 + 200 * sin(2 * .pi * 0.7 * t)) * t) + 0.6 * sin(2 * .pi * (900 + 150 * t * seed) * t)
            + 0.3 * sin(2 * .pi * 1700 * t)
        return Int16(7000 * envelope * tone)
    }
}

/// The best normalised cross-correlation of `probe` inside `recording` over all lags.
func bestCorrelation(_ probe: [Int16], in recording: [Int16]) -> Double {
    guard recording.count >= probe.count, !probe.isEmpty else { return 0 }
    let p = probe.map(Double.init), r = recording.map(Double.init)
    let pEnergy = p.reduce(0) { $0 + $1 * $1 }
    return p.withUnsafeBufferPointer { p in
        r.withUnsafeBufferPointer { r in
            // The window's energy slides along; only the dot product is recomputed per lag.
            var energy = (0..<p.count).reduce(0.0) { $0 + r[$1] * r[$1] }
            var best = 0.0
            for lag in 0...(r.count - p.count) {
                if lag > 0 { energy += r[lag + p.count - 1] * r[lag + p.count - 1] - r[lag - 1] * r[lag - 1] }
                guard energy > 1 else { continue }
                var dot = 0.0
                for index in 0..<p.count { dot += p[index] * r[lag + index] }
                best = max(best, dot / (pEnergy * energy).squareRoot())
            }
            return best
        }
    }
}
