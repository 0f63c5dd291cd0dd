import AsteriskSimulator
import CallRecords
import Foundation
import Logging
import OperatorAPI
import Testing
@testable import CallOperations
@testable import Calls

/// `RECORDING=both`: the call's WAV holds what the caller said on the left and what they heard
/// on the right, and its record says where the file is.
@Suite("Call recording", .serialized, .timeLimit(.minutes(2)))
struct CallAudioRecordingTests {
    /// The samples of a 16-bit PCM WAV file, per channel.
    static func channels(ofWAV path: String) throws -> (rate: Int, channels: [[Int16]]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try #require(data.count >= 44 && data.prefix(4) == Data("RIFF".utf8) && data[8..<12] == Data("WAVE".utf8))
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let count = u16(22), rate = u32(24), size = u32(40)
        #expect(u16(34) == 16 && size == data.count - 44, "the header's sizes are the file's")
        var channels = [[Int16]](repeating: [], count: count)
        var index = 0
        for offset in stride(from: 44, to: data.count - 1, by: 2) {
            channels[index % count].append(Int16(bitPattern: UInt16(u16(offset))))
            index += 1
        }
        return (rate, channels)
    }

    /// The call's record once its end is in the store: the registry lets a call go before the
    /// journal's last save lands.
    static func endedRecord(in store: SQLiteCallRecordStore) async -> CallRecord? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let record = try? await store.records(matching: CallRecordQuery()).first, record.endedAt != nil { return record }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// A recordings directory and a journal over a records file, both removed afterwards.
    static func withRecordings<T>(
        _ body: (_ directory: String, _ store: SQLiteCallRecordStore, _ journal: CallJournal) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-recordings-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = RecordsFile()
        defer { records.remove() }
        let store = try records.open()
        let journal = CallJournal(store: store, hub: CallEventHub(), logger: Logger(label: "test.records"))
        return try await body(directory, store, journal)
    }

    @Test func aRecordedCallHoldsTheCallerLeftAndWhatTheyHeardRight() async throws {
        try await Self.withRecordings { directory, store, journal in
            let question = TestSignal.speechLike(seconds: 1.5)
            try await CallHarness.run(bots: JournaledBots(journal: journal), observer: journal, configure: {
                $0.recordingMode = .both
                $0.recordingsDirectory = directory
            }) { harness in
                let phone = harness.simulator.placeCall(
                    from: "1001", to: "100", script: [.pause(.seconds(1)), .say(question), .pause(.seconds(5)), .hangUp])
                #expect(await phone.waitUntilScriptFinished(timeout: .seconds(20)))
                #expect(await harness.waitUntil { harness.isClean })
                let record = try #require(await Self.endedRecord(in: store))
                let recording = try #require(record.recording, "the record names the recording")
                #expect(recording.mode == "both" && recording.path == "\(directory)/\(record.id).wav")
                #expect((6.5...10).contains(recording.durationSeconds), "\(recording.durationSeconds) s")

                let (rate, channels) = try Self.channels(ofWAV: recording.path)
                #expect(rate == 8000 && channels.count == 2)
                let (left, right) = (channels[0], channels[1])
                // What the caller said is on the left.
                let said = TestSignal.windowedCorrelations(of: question, in: left, windowSeconds: 0.25, sampleRate: 8000)
                #expect(said[said.count / 2] > 0.9, "caller side \(said)")
                // What reached the caller's phone (greeting and answer tones) is on the right, not the left.
                let heard = phone.recording.samples
                let window = 2000
                let loud = stride(from: 0, to: heard.count - window, by: window).map { Array(heard[$0..<$0 + window]) }
                    .filter { chunk in chunk.contains { abs(Int($0)) > 1000 } }
                try #require(loud.count >= 4, "the caller heard the bot")
                let onRight = loud.map { TestSignal.bestCorrelation(of: $0, in: right) }.sorted()
                let onLeft = loud.map { TestSignal.bestCorrelation(of: $0, in: left) }.sorted()
                #expect(onRight[onRight.count / 2] > 0.9, "bot side \(onRight)")
                #expect(onLeft[onLeft.count / 2] < onRight[onRight.count / 2] - 0.2, "left \(onLeft) right \(onRight)")
            }
        }
    }

    @Test func anUnwritableDirectoryLeavesTheCallUnrecordedNotRefused() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "ura-not-a-directory-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await CallHarness.run(configure: {
            $0.recordingMode = .caller
            $0.recordingsDirectory = file
        }) { harness in
            let phone = harness.simulator.placeCall(from: "1001", to: "100", script: [.say(TestSignal.speechLike(seconds: 1)), .hangUp])
            #expect(await phone.waitUntilScriptFinished(timeout: .seconds(10)))
            #expect(phone.recording.samples.contains { abs(Int($0)) > 1000 }, "the loopback still answered")
            #expect(await harness.waitUntil { harness.isClean })
        }
    }

    /// Runs one call of `seconds` with `RECORDING=caller` and `notice`, the simulator's playbacks
    /// lasting 2 s; returns the call's record once it has ended.
    static func noticedCall(notice: [String], seconds: Double) async throws -> CallRecord {
        try await withRecordings { directory, store, journal in
            var record: CallRecord?
            try await CallHarness.run(
                simulator: SimulatorConfiguration(dialplanApp: CallHarness.application, playbackDuration: .seconds(2)), observer: journal,
                configure: {
                    $0.recordingMode = .caller
                    $0.recordingsDirectory = directory
                    $0.recordingNotice = notice
                }
            ) { harness in
                let phone = harness.simulator.placeCall(
                    from: "1001", to: "100", script: [.say(TestSignal.speechLike(seconds: seconds)), .hangUp])
                #expect(await phone.waitUntilScriptFinished(timeout: .seconds(20)))
                #expect(await harness.waitUntil { harness.isClean })
                record = await Self.endedRecord(in: store)
            }
            return try #require(record)
        }
    }

    @Test func theNoticePlaysBeforeTheRecordingStarts() async throws {
        let record = try await Self.noticedCall(notice: ["sound:custom/call-recorded"], seconds: 5)
        let recording = try #require(record.recording)
        let call = try #require(record.endedAt).timeIntervalSince(record.startedAt)
        // The 2 s notice is not in the recording: it starts when the notice has ended.
        #expect(recording.durationSeconds < call - 1.5 && recording.durationSeconds > 2, "recorded \(recording.durationSeconds) s of \(call) s")
        #expect(record.outcome == .callerHangup)
    }

    @Test func aNoticeAsteriskCannotPlayLeavesTheCallUnrecorded() async throws {
        // The simulator fails playbacks of media it does not know, as Asterisk does.
        let record = try await Self.noticedCall(notice: ["video:nothing"], seconds: 3)
        #expect(record.recording == nil, "a caller who was not told is not recorded")
        #expect(record.outcome == .callerHangup, "the call itself goes on")
    }
}
