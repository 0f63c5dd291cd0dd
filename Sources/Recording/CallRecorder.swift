import Audio
import Foundation
import Logging
import Media

/// Records one call into a WAV file from what its media taps: `caller` as one channel, `both`
/// as two (left the caller, right what ura sent them), at the call format's audio rate.
///
/// The media thread feeds ``tap``; ``run()`` (the call's child task) writes what it gathered
/// every 200 ms; ``finish()`` writes the rest and closes the file.
public final class CallRecorder: @unchecked Sendable {
    // @unchecked: `file`, `decoder` and `scratch` are used by run() and then by finish(), which
    // the session calls only after run()'s task has ended; the tap is itself Sendable.

    /// What is recorded.
    public enum Mode: String, Sendable, CaseIterable {
        case caller, both
    }

    /// The finished file: where, how long, what it holds.
    public struct Summary: Sendable, Equatable {
        public var path: String
        public var durationSeconds: Double
        public var mode: Mode
        /// Ticks lost because writing fell behind (a full or slow disk).
        public var droppedFrames: Int
    }

    public let tap = RecordingTap()
    public let path: String
    public let mode: Mode
    private let file: WAVWriter
    private let decoder: any AudioDecoder
    private let samplesPerFrame: Int
    private var dropped = 0
    private var failed = false
    private let logger: Logger

    /// Creates `directory/<callID>.wav` (and the directory), or continues it: a call taken up
    /// after a restart goes on in the file its first part is in. A file of another shape (the
    /// mode or format changed meanwhile) is kept, and this part goes to `<callID>-2.wav` (-3…).
    public init(directory: String, callID: String, mode: Mode, format: AudioFormat, logger: Logger) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.mode = mode
        let rate = format.audioSampleRate
        let channels = mode == .both ? 2 : 1
        samplesPerFrame = rate.samplesPerFrame
        decoder = format.makeDecoder()
        self.logger = logger
        let folder = URL(fileURLWithPath: directory)
        var candidate = folder.appending(path: "\(callID).wav").path
        var part = 1
        while FileManager.default.fileExists(atPath: candidate) {
            if let continued = try WAVWriter(continuing: candidate, channels: channels, sampleRate: rate.hertz) {
                path = candidate
                file = continued
                logger.info("recording continues the call's earlier file", metadata: ["path": "\(candidate)"])
                return
            }
            part += 1
            candidate = folder.appending(path: "\(callID)-\(part).wav").path
        }
        path = candidate
        file = try WAVWriter(path: candidate, channels: channels, sampleRate: rate.hertz)
    }

    /// Writes what the tap gathered, until cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            write(final: false)
        }
    }

    /// Writes the rest and closes the file. Call once, after ``run()`` has ended.
    public func finish() -> Summary {
        write(final: true)
        do { try file.close() } catch { logger.warning("recording not closed cleanly", metadata: ["path": "\(path)", "error": "\(error)"]) }
        return Summary(path: path, durationSeconds: file.duration, mode: mode, droppedFrames: dropped)
    }

    private func write(final: Bool) {
        let (ticks, lost) = tap.take(final: final)
        dropped += lost
        guard !ticks.isEmpty, !failed else { return }
        var samples: [Int16] = []
        samples.reserveCapacity(ticks.count * samplesPerFrame * (mode == .both ? 2 : 1))
        for tick in ticks {
            let caller = fitted(tick.caller)
            guard mode == .both else {
                samples += caller
                continue
            }
            let sent = fitted(tick.sent.flatMap(decode))
            for index in 0..<samplesPerFrame {
                samples.append(caller[index])
                samples.append(sent[index])
            }
        }
        do {
            try file.append(interleaved: samples)
        } catch {
            // A full disk stops the recording, never the call.
            failed = true
            logger.warning("recording stopped: cannot write", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    private func decode(_ payload: [UInt8]) -> [Int16] {
        var samples = [Int16](repeating: 0, count: decoder.format.sampleCount(forPayloadByteCount: payload.count))
        let count = payload.withUnsafeBufferPointer { input in
            samples.withUnsafeMutableBufferPointer { output in decoder.decode(input, into: output) }
        }
        return Array(samples.prefix(count))
    }

    /// One frame exactly: silence where nothing was sent, the first frame's worth otherwise
    /// (two payloads in one tick happen only when a talk spurt starts between two ticks).
    private func fitted(_ samples: [Int16]) -> [Int16] {
        if samples.count == samplesPerFrame { return samples }
        return Array(samples.prefix(samplesPerFrame)) + [Int16](repeating: 0, count: max(0, samplesPerFrame - samples.count))
    }
}
