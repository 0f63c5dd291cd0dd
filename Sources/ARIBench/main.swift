import ARI
import Foundation

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
print("ari: events_per_s=\(Int(Double(decoded) / elapsedSeconds)) events=\(decoded) distinct=\(events.count) avg_bytes=\(averageBytes) failures=\(failures)")
