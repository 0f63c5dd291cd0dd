import Randomness
import Audio
import Testing
@testable import Media

/// What real phone lines send through Asterisk (captures/README.md, last section): the caller's
/// own packetisation, timestamps that jump while sequence numbers run on, pauses, SSRC changes.
/// Every case is played in continuous time (arrivals and the 20 ms ticks on one millisecond
/// timeline, not tick-aligned), and the caller's audio must come out whole, in order, with no
/// packet taken for late or lost.
@Suite("JitterBuffer on real phone lines")
struct JitterBufferPacketisationTests {
    let start = ContinuousClock.now

    /// One packet a phone sends: its audio and when it reaches the buffer.
    struct Sent {
        var samples: [Int16]
        var arrival: Duration
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var ssrc: UInt32
    }

    /// A phone sending `samples` as slin packets of the given sizes (cycled), each arriving when
    /// its last sample has been spoken plus `delay(index)`.
    struct Phone {
        var sequenceNumber: UInt16 = 40000
        var timestamp: UInt32 = 4_000_000_000
        var ssrc: UInt32 = 0xABCD
        var clock: Duration = .zero
        var sent: [Sent] = []

        mutating func speak(_ samples: ArraySlice<Int16>, packetSizes: [Int], rate: Double = 1, delay: (Int) -> Duration = { _ in .zero }) {
            var offset = samples.startIndex
            var index = 0
            while offset < samples.endIndex {
                let size = min(packetSizes[index % packetSizes.count], samples.endIndex - offset)
                clock += .microseconds(Int64(Double(size) * 125 * rate))
                sent.append(Sent(samples: Array(samples[offset..<offset + size]), arrival: clock + delay(sent.count),
                                 sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc))
                sequenceNumber &+= 1
                timestamp &+= UInt32(size)
                offset += size
                index += 1
            }
        }
    }

    /// A ramp that never repeats within a test, so every run of output can be traced to its source.
    static func ramp(_ count: Int) -> [Int16] {
        precondition(count <= 65536, "a ramp repeats after 65536 samples")
        return (0..<count).map { Int16(truncatingIfNeeded: $0 - 30000) }
    }

    /// Plays `sent` through a buffer: packets in arrival order, a frame every 20 ms from `tickPhase`.
    func play(_ sent: [Sent], buffer: JitterBuffer, tickPhase: Duration = .milliseconds(7), extra: Duration = .milliseconds(400)) -> [Int16] {
        let arrivals = sent.sorted { $0.arrival < $1.arrival }
        let end = (arrivals.last?.arrival ?? .zero) + extra
        var output: [Int16] = []
        var next = 0
        var tick = tickPhase
        while tick <= end {
            while next < arrivals.count, arrivals[next].arrival <= tick {
                let s = arrivals[next]
                let payload = s.samples.flatMap { [UInt8(truncatingIfNeeded: UInt16(bitPattern: $0) >> 8), UInt8(truncatingIfNeeded: $0)] }
                buffer.insert(RTPPacket(payloadType: 10, sequenceNumber: s.sequenceNumber, timestamp: s.timestamp, ssrc: s.ssrc, payload: payload),
                              arrival: start + s.arrival)
                next += 1
            }
            output += buffer.nextFrame().samples
            tick += .milliseconds(20)
        }
        return output
    }

    /// How `input` shows in `output`: runs of at least 8 exact samples, in order, with silence or
    /// concealment between them. `traced` counts the input samples found; `longestSkip` is the
    /// longest stretch of input between two runs that never showed (spandsp blends the first
    /// few milliseconds after a concealment into it, so those differ; a lost packet would be
    /// missing whole). 8 ramp values in a row are never made up by concealment.
    static func trace(_ input: [Int16], in output: [Int16]) -> (traced: Int, longestSkip: Int, reachedEnd: Bool) {
        var where_: [Int16: Int] = [:]
        for (index, value) in input.enumerated() { where_[value] = index }
        var position = 0, traced = 0, longestSkip = 0
        var index = 0
        while index < output.count {
            guard let start = where_[output[index]], start >= position else {
                index += 1
                continue
            }
            var run = 0
            while index + run < output.count, start + run < input.count, output[index + run] == input[start + run] { run += 1 }
            if run >= min(8, input.count - start) {
                longestSkip = max(longestSkip, start - position)
                traced += run
                position = start + run
                index += run
            } else {
                index += 1
            }
        }
        return (traced, max(longestSkip, input.count - position), position == input.count)
    }

    /// Where a run of samples first appears in `output` (or -1).
    static func position(of run: ArraySlice<Int16>, in output: [Int16]) -> Int {
        guard output.count >= run.count else { return -1 }
        return (0...(output.count - run.count)).first { output[$0..<$0 + run.count].elementsEqual(run) } ?? -1
    }

    /// The output from its first non-zero sample on, as long as the input.
    static func playedStretch(_ output: [Int16], length: Int) -> [Int16] {
        let first = output.firstIndex { $0 != 0 } ?? output.count
        return Array(output[first..<min(output.count, first + length)])
    }

    @Test("any packetisation plays out exactly, with nothing late or lost",
          arguments: [[80], [160], [240], [320], [480], [960], [1], [7], [240, 160, 80, 480, 1, 960, 320]])
    func anyPtime(sizes: [Int]) {
        let input = Self.ramp(8000 * 3 / 960 * 960)
        var phone = Phone()
        // Up to 3 ms of network jitter, never reordering.
        var generator = SeededRandom(seed: UInt64(sizes.reduce(0, +)))
        let jitter = (0..<input.count).map { _ in Duration.microseconds(Int64.random(in: 0...3000, using: &generator)) }
        var last = Duration.zero
        phone.speak(input[...], packetSizes: sizes, delay: { jitter[$0] })
        for index in phone.sent.indices {
            last = max(last, phone.sent[index].arrival)
            phone.sent[index].arrival = last
        }
        let buffer = JitterBuffer(format: .slin)
        let output = play(phone.sent, buffer: buffer)
        let statistics = buffer.statistics
        #expect([statistics.late, statistics.lost, statistics.discarded, statistics.malformed] == [0, 0, 0, 0])
        #expect(statistics.received == phone.sent.count)
        if sizes.count == 1 {
            #expect(Self.playedStretch(output, length: input.count) == input, "not played exactly")
            #expect(statistics.jitterMilliseconds < 3)
        } else {
            // 120 ms packets after a single sample leave the buffer dry (the packet exists only
            // when its last sample is spoken): playout waits for them, nothing is skipped.
            let trace = Self.trace(input, in: output)
            #expect(trace.reachedEnd && trace.longestSkip < 80, "\(trace)")
        }
    }

    @Test("a timestamp jump with continuous sequence numbers plays on unharmed",
          arguments: [(-56400, 240), (56400, 240), (-1_000_000, 160), (2_000_000_000, 480)])
    func timestampJump(jump: Int, size: Int) {
        let input = Self.ramp(8000 * 4)
        var phone = Phone()
        phone.speak(input[..<16000], packetSizes: [size])
        // The replay restarts: timestamps jump, the sequence runs on, and a packet comes ~25 ms
        // later than its turn (SIPp on Asterisk 22: a 54–56 ms gap where 30 ms was due).
        phone.timestamp &+= UInt32(truncatingIfNeeded: jump)
        phone.clock += .milliseconds(25)
        phone.speak(input[16000...], packetSizes: [size])
        let buffer = JitterBuffer(format: .slin)
        let output = play(phone.sent, buffer: buffer)
        #expect(Self.playedStretch(output, length: input.count) == input, "not played exactly")
        let statistics = buffer.statistics
        #expect([statistics.late, statistics.lost, statistics.discarded] == [0, 0, 0])
        #expect(statistics.timestampJumps == 1)
        #expect(statistics.jitterMilliseconds < 5)  // not the hundreds of ms the jump itself would read as
    }

    @Test("a pause (silence suppression, hold) loses nothing, whether timestamps count it or not", arguments: [true, false])
    func pause(timestampsAdvance: Bool) {
        let input = Self.ramp(8000 * 3)
        var phone = Phone()
        phone.speak(input[..<8000], packetSizes: [240])
        phone.clock += .milliseconds(1500)
        if timestampsAdvance { phone.timestamp &+= 12000 }
        phone.speak(input[8000...], packetSizes: [240])
        let buffer = JitterBuffer(format: .slin)
        let output = play(phone.sent, buffer: buffer)
        let trace = Self.trace(input, in: output)
        #expect(trace.reachedEnd && trace.longestSkip < 80, "\(trace)")
        // The pause is heard as a pause: the second stretch starts about 1.5 s after the first ends.
        let firstEnd = Self.position(of: input[7900..<7908], in: output)
        let secondStart = Self.position(of: input[8100..<8108], in: output)
        #expect(abs(Double(secondStart - firstEnd - 200) / 8000 - 1.5) < 0.1, "\(firstEnd) \(secondStart)")
        let statistics = buffer.statistics
        #expect([statistics.late, statistics.lost, statistics.discarded] == [0, 0, 0])
        #expect(statistics.timestampJumps == (timestampsAdvance ? 0 : 1))
    }

    @Test("a phone whose clock runs slow drains the buffer without losing a sample", arguments: [[160], [240], [480]])
    func slowSender(sizes: [Int]) {
        let input = Self.ramp(8000 * 6)
        var phone = Phone()
        phone.speak(input[...], packetSizes: sizes, rate: 1.02)  // 2 % slow: runs dry every few seconds
        let buffer = JitterBuffer(format: .slin)
        let output = play(phone.sent, buffer: buffer)
        let trace = Self.trace(input, in: output)
        #expect(trace.reachedEnd && trace.longestSkip < 80, "\(trace)")
        let statistics = buffer.statistics
        #expect([statistics.late, statistics.lost, statistics.discarded] == [0, 0, 0])
    }

    @Test("an SSRC change mid-call, at another ptime, plays both streams whole")
    func ssrcChangeWithNewPtime() {
        let input = Self.ramp(8000 * 3)
        var phone = Phone()
        phone.speak(input[..<12000], packetSizes: [160])
        phone.ssrc = 0x1234
        phone.sequenceNumber = 7
        phone.timestamp = 99
        phone.speak(input[12000...], packetSizes: [240])
        let buffer = JitterBuffer(format: .slin)
        let output = play(phone.sent, buffer: buffer)
        let trace = Self.trace(input, in: output)
        #expect(trace.reachedEnd && trace.longestSkip < 80, "\(trace)")
        let statistics = buffer.statistics
        #expect([statistics.late, statistics.lost, statistics.discarded] == [0, 0, 0])
        #expect(statistics.sourceChanges == 1)
    }

    @Test("a 120 ms packet fits beside the window without discards; a real burst is still trimmed")
    func depthLimitFollowsPacketSize() {
        let input = Self.ramp(8000 * 2)
        var phone = Phone()
        phone.speak(input[...], packetSizes: [960])
        let buffer = JitterBuffer(format: .slin)
        #expect(Self.playedStretch(play(phone.sent, buffer: buffer), length: input.count) == input, "not played exactly")
        #expect(buffer.statistics.discarded == 0)

        var burst = Phone()
        burst.speak(input[...], packetSizes: [960])
        for index in burst.sent.indices { burst.sent[index].arrival = .zero }
        let flooded = JitterBuffer(format: .slin)
        _ = play(burst.sent, buffer: flooded)
        #expect(flooded.statistics.discarded > 0)
    }

    @Test("a packet later than its successors by more than the window is concealed, then dropped as late")
    func lateAfterDry() {
        let input = Self.ramp(8000)
        var phone = Phone()
        phone.speak(input[...], packetSizes: [160])
        // Packet 20 arrives half a second after the rest, with 21 onwards on time: 21 plays in its place.
        phone.sent[20].arrival += .milliseconds(500)
        let buffer = JitterBuffer(format: .slin)
        let output = play(phone.sent, buffer: buffer)
        #expect(buffer.statistics.late == 1)
        #expect(buffer.statistics.lost == 0)
        let trace = Self.trace(input, in: output)
        #expect(trace.reachedEnd && trace.traced >= input.count - 160 - 80, "\(trace)")
    }
}




