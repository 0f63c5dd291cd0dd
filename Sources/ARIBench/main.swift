import ARI
import Foundation
import HTTP
import Logging
import LoopbackHTTPServer

// Decodes the events of a captured Asterisk session in a loop and prints the rate.
// Usage: ARIBench [session.jsonl] [seconds]
let arguments = CommandLine.arguments
let capturePath = arguments.count > 1 ? arguments[1] : "Tests/ARITests/Fixtures/session-22.10.1.jsonl"
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3

guard let capture = FileManager.default.contents(atPath: capturePath) else {
    FileHandle.standardError.write(Data("ARIBench: cannot read \(capturePath)\n".utf8))
    exit(1)
}

// Each capture line wraps one event: {"t":…, "kind":"event", "event":{…}}. Re-serialise the inner object.
var events: [Data] = []
for line in capture.split(separator: UInt8(ascii: "\n")) {
    guard let record = try? JSONValue.parse(Data(line)).objectValue, record["kind"] == "event",
          let event = record["event"] else { continue }
    events.append(event.jsonData)
}
guard !events.isEmpty else {
    FileHandle.standardError.write(Data("ARIBench: no events in \(capturePath)\n".utf8))
    exit(1)
}

let clock = ContinuousClock()
var decoded = 0
var failures = 0
let start = clock.now
let deadline = start + .seconds(seconds)
while clock.now < deadline {
    for event in events {
        do {
            let envelope = try ARIEnvelope.decode(from: event)
            if case .unknown = envelope.event { failures += 1 }
        } catch {
            failures += 1
        }
    }
    decoded += events.count
}
let elapsed = clock.now - start
let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let averageBytes = events.reduce(0) { $0 + $1.count } / events.count

// REST round trip on loopback: ARIClient → curl thread → a local server answering like
// Asterisk (204 for answer, a channel snapshot for GET), one request at a time.
let server = try await LoopbackHTTPServer { request in
    request.method == "GET"
        ? .json(200, #"{"id":"1.1","name":"PJSIP/1001-00000001","state":"Up","protocol_id":"","caller":{"name":"","number":"1001"},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"from-phones","exten":"100","priority":2,"app_name":"Stasis","app_data":"ura"},"creationtime":"2026-11-26T12:24:28.506+0000","language":"en"}"#)
        : .empty(204)
}
let http = HTTPClient(name: "ari-bench")
let ari = ARIClient(configuration: .init(url: server.baseURL, username: "ura", password: "bench"), httpClient: http, logger: Logger(label: "bench"))
var roundTrips: [Duration] = []
for index in 0..<2000 {
    let began = clock.now
    if index % 2 == 0 { try await ari.answer("1.1") } else { _ = try await ari.channel("1.1") }
    roundTrips.append(clock.now - began)
}
http.shutdown()
server.shutdown()
roundTrips.sort()
let sortedRoundTrips = roundTrips
func milliseconds(_ quantile: Double) -> String {
    let value = sortedRoundTrips[min(sortedRoundTrips.count - 1, Int(Double(sortedRoundTrips.count) * quantile))]
    return String(format: "%.3f", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
}
print("ari: events_per_s=\(Int(Double(decoded) / elapsedSeconds)) events=\(decoded) distinct=\(events.count) avg_bytes=\(averageBytes) failures=\(failures) rest_p50_ms=\(milliseconds(0.5)) rest_p99_ms=\(milliseconds(0.99)) rest_requests=\(roundTrips.count)")
