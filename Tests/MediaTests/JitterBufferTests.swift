import Randomness
import Audio
import Testing
@testable import Media

/// Plays chan_rtp's part: 20 ms packets from a random sequence number, timestamp and SSRC.
struct FakeSender {
    let format: AudioFormat
    let encoder: any AudioEncoder
    var sequenceNumber: UInt16
    var timestamp: UInt32
    var ssrc: UInt32

    init(format: AudioFormat, generator: inout SeededRandom, sequenceNumber: UInt16? = nil, timestamp: UInt32? = nil) throws {
        self.format = format
        encoder = try format.makeEncoder()
        self.sequenceNumber = sequenceNumber ?? .random(in: 0...UInt16.max, using: &generator)
        self.timestamp = timestamp ?? .random(in: 0...UInt32.max, using: &generator)
        ssrc = .random(in: 0...UInt32.max, using: &generator)
    }

    mutating func packet(_ samples: [Int16]) -> RTPPacket {
        defer {
            sequenceNumber &+= 1
            timestamp &+= UInt32(format.timestampStepPerFrame)
        }
        return RTPPacket(payloadType: format.payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, payload: encoder.encode(samples))
    }
}

@Suite("JitterBuffer")
struct JitterBufferTests {
    let start = ContinuousClock.now

    /// Frames whose samples say which frame they are, so slin (lossless) output can be traced.
    static func numberedFrames(_ count: Int, base: Int = 0) -> [[Int16]] {
        (0..<count).map { frame in (0..<160).map { Int16(((base + frame) * 160 + $0) % 30000 - 15000) } }
    }

    static func speechFrames(sampleRate: SampleRate, count: Int) -> [[Int16]] {
        let signal = TestSignals.speechLike(sampleRate: sampleRate.hertz, seconds: Double(count) * 0.02)
        let size = sampleRate.samplesPerFrame
        return (0..<count).map { Array(signal[($0 * size)..<(($0 + 1) * size)]) }
    }

    /// Runs one tick per entry of `schedule`: inserts that tick's packets, then pops a frame;
    /// then pops `drain` more frames.
    func run(_ buffer: JitterBuffer, schedule: [[RTPPacket]], drain: Int = 8) -> [[Int16]] {
        var output: [[Int16]] = []
        for tick in 0..<(schedule.count + drain) {
            let now = start + .milliseconds(20 * tick)
            for packet in tick < schedule.count ? schedule[tick] : [] { buffer.insert(packet, arrival: now) }
            let frame = buffer.nextFrame()
            #expect(frame.samples.count == buffer.format.samplesPerFrame)
            #expect(frame.sampleRate == buffer.format.audioSampleRate)
            output.append(frame.samples)
        }
        return output
    }

    /// What each output frame is: the index of the numbered frame it equals exactly, `nil` for
    /// silence, -1 for anything else (concealment, a mix).
    static func identify(_ output: [[Int16]]) -> [Int?] {
        output.map { frame in
            if frame.allSatisfy({ $0 == 0 }) { return nil }
            let index = (Int(frame[0]) + 15000) / 160
            return frame == numberedFrames(1, base: index)[0] ? index : -1
        }
    }

    /// The exactly played frames, in output order, after checking that what follows the last
    /// one is at most 100 ms of concealment and then silence (the stream simply ended).
    static func played(_ output: [[Int16]]) -> [Int] {
        let identified = identify(output)
        let lastPlayed = identified.lastIndex { ($0 ?? -1) >= 0 } ?? -1
        let tail = identified[(lastPlayed + 1)...]
        #expect(tail.count(where: { $0 == -1 }) <= 5 && tail.drop(while: { $0 == -1 }).allSatisfy { $0 == nil })
        return identified.compactMap { $0 }.filter { $0 >= 0 }
    }

    @Test("an in-order stream plays out unchanged after the window", arguments: [UInt64(1), 2, 3])
    func inOrder(seed: UInt64) throws {
        var generator = SeededRandom(seed: seed)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(50)
        let buffer = JitterBuffer(format: .slin)
        let output = run(buffer, schedule: frames.map { [sender.packet($0)] })
        // Three silent ticks (the 60 ms window), then every frame in order.
        #expect(Array(Self.identify(output).prefix(53)) == [nil, nil, nil] + (0..<50).map { $0 })
        #expect(Self.played(output) == Array(0..<50))
        let statistics = buffer.statistics
        #expect(statistics.received == 50)
        #expect([statistics.lost, statistics.late, statistics.duplicated, statistics.reordered] == [0, 0, 0, 0])
    }

    @Test("the window sets the playout delay", arguments: [(Duration.milliseconds(20), 1), (.milliseconds(100), 5), (.milliseconds(110), 6), (.zero, 1)])
    func configuredWindow(window: Duration, silentTicks: Int) throws {
        var generator = SeededRandom(seed: 4)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(20)
        let buffer = JitterBuffer(format: .slin, configuration: .init(window: window))
        let output = run(buffer, schedule: frames.map { [sender.packet($0)] })
        #expect(Array(Self.identify(output).prefix(silentTicks + 20)) == [Int?](repeating: nil, count: silentTicks) + (0..<20).map { $0 })
    }

    @Test("packets reordered and delayed within the window play in order")
    func reorderWithinWindow() throws {
        var generator = SeededRandom(seed: 7)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(60)
        let packets = frames.map { sender.packet($0) }
        // Each packet is delayed by 0 to 3 ticks (up to 60 ms), so many overtake each other.
        var schedule = [[RTPPacket]](repeating: [], count: 64)
        for (index, packet) in packets.enumerated() {
            let delay = index == 0 ? 0 : Int.random(in: 0...3, using: &generator)
            schedule[index + delay].append(packet)
        }
        for index in schedule.indices { schedule[index].shuffle(using: &generator) }
        let buffer = JitterBuffer(format: .slin)
        let output = run(buffer, schedule: schedule)
        #expect(Self.played(output) == Array(0..<60))
        #expect(buffer.statistics.reordered > 0)
        #expect(buffer.statistics.late == 0)
        #expect(buffer.statistics.lost == 0)
    }

    @Test("a lost packet is concealed with audio that is neither silence nor louder than its neighbours", arguments: [AudioFormat.ulaw, .g722])
    func lossIsConcealed(format: AudioFormat) throws {
        var generator = SeededRandom(seed: 11)
        var sender = try FakeSender(format: format, generator: &generator)
        let frames = Self.speechFrames(sampleRate: format.audioSampleRate, count: 40)
        var schedule = frames.map { [sender.packet($0)] }
        schedule[20] = []
        let buffer = JitterBuffer(format: format)
        let output = run(buffer, schedule: schedule)
        let concealed = output[23]  // frame 20 after the three-tick window
        let before = TestSignals.rms(output[22])
        #expect(TestSignals.rms(concealed) > 0.1 * before)
        #expect(TestSignals.rms(concealed) < 1.5 * before)
        #expect(buffer.statistics.lost == 1)
        #expect(buffer.statistics.late == 0)
    }

    @Test("after a loss, later packets play exactly")
    func playsExactlyAfterLoss() throws {
        var generator = SeededRandom(seed: 12)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(40)
        var schedule = frames.map { [sender.packet($0)] }
        schedule[10] = []
        let identified = Self.identify(run(JitterBuffer(format: .slin), schedule: schedule))
        // Frame 10 is concealed and frame 11 is blended with the concealment; the rest is exact.
        #expect(Array(identified[3..<13]) == (0..<10).map { $0 })
        #expect(identified[13] == -1)
        #expect(Array(identified[15..<43]) == (12..<40).map { $0 })
    }

    @Test("duplicates are counted and played once")
    func duplicates() throws {
        var generator = SeededRandom(seed: 13)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(30)
        let schedule = frames.map { frame -> [RTPPacket] in
            let packet = sender.packet(frame)
            return [packet, packet]
        }
        let buffer = JitterBuffer(format: .slin)
        let output = run(buffer, schedule: schedule)
        #expect(Self.played(output) == Array(0..<30))
        #expect(buffer.statistics.duplicated == 30)
        #expect(buffer.statistics.lost == 0)
    }

    @Test("a packet after its playout time is dropped and counted late")
    func tooLate() throws {
        var generator = SeededRandom(seed: 14)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(30)
        var schedule = frames.map { [sender.packet($0)] }
        let late = schedule[5].removeFirst()
        schedule[12].append(late)  // 140 ms late: frame 5 played at tick 8
        let buffer = JitterBuffer(format: .slin)
        let identified = Self.identify(run(buffer, schedule: schedule))
        #expect(buffer.statistics.late == 1)
        #expect(identified[8] == -1)
        #expect(Array(identified[10..<33]) == (7..<30).map { $0 })
    }

    @Test("sequence numbers wrap from 65535 to 0 without loss")
    func sequenceWrap() throws {
        var generator = SeededRandom(seed: 15)
        var sender = try FakeSender(format: .slin, generator: &generator, sequenceNumber: 65530)
        let frames = Self.numberedFrames(20)
        let buffer = JitterBuffer(format: .slin)
        let identified = Self.identify(run(buffer, schedule: frames.map { [sender.packet($0)] }))
        #expect(Array(identified[3..<23]) == (0..<20).map { $0 })
        #expect(buffer.statistics.lost == 0)
        #expect(buffer.statistics.late == 0)
    }

    @Test("timestamps wrap past 2^32 without effect")
    func timestampWrap() throws {
        var generator = SeededRandom(seed: 16)
        var sender = try FakeSender(format: .slin, generator: &generator, timestamp: UInt32.max - 800)
        let frames = Self.numberedFrames(20)
        let buffer = JitterBuffer(format: .slin)
        let identified = Self.identify(run(buffer, schedule: frames.map { [sender.packet($0)] }))
        #expect(Array(identified[3..<23]) == (0..<20).map { $0 })
        #expect(buffer.statistics.jitter < 1)
    }

    @Test("an SSRC change plays the old stream out, then the new one in order")
    func ssrcChange() throws {
        var generator = SeededRandom(seed: 17)
        var first = try FakeSender(format: .slin, generator: &generator)
        var second = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(50)
        let schedule = frames.enumerated().map { index, frame in [index < 25 ? first.packet(frame) : second.packet(frame)] }
        let buffer = JitterBuffer(format: .slin)
        let output = run(buffer, schedule: schedule)
        #expect(Self.played(output) == Array(0..<50))
        #expect(buffer.statistics.sourceChanges == 1)
        #expect(buffer.statistics.late == 0)
        #expect(buffer.statistics.lost == 0)
    }

    @Test("after a long gap the output falls to silence, then playout resumes", arguments: [false, true])
    func longGap(sequenceJumps: Bool) throws {
        var generator = SeededRandom(seed: 18)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(40)
        var schedule: [[RTPPacket]] = frames[0..<20].map { [sender.packet($0)] }
        schedule += [[RTPPacket]](repeating: [], count: 100)  // two seconds of nothing
        sender.timestamp &+= 16000
        if sequenceJumps { sender.sequenceNumber &+= 100 }
        schedule += frames[20..<40].map { [sender.packet($0)] }
        let buffer = JitterBuffer(format: .slin)
        let identified = Self.identify(run(buffer, schedule: schedule))
        #expect(Array(identified[3..<23]) == (0..<20).map { $0 })
        // Concealment for at most 100 ms, then exact silence for the rest of the gap.
        #expect(identified[28..<123].allSatisfy { $0 == nil })
        // The first frame after the gap is blended with the (faded) concealment, as spandsp does.
        #expect(identified[123] == -1)
        #expect(Array(identified[124..<143]) == (21..<40).map { $0 })
        #expect(buffer.statistics.late == 0)
    }

    @Test("a stray far-off packet is ignored, and a confirmed sequence jump restarts playout", arguments: [20000, -5000])
    func sequenceJump(jump: Int) throws {
        var generator = SeededRandom(seed: 22)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(60)
        var schedule: [[RTPPacket]] = frames[0..<20].map { [sender.packet($0)] }
        var stray = sender
        stray.sequenceNumber &+= 30000
        schedule[10].append(stray.packet(Self.numberedFrames(1, base: 100)[0]))
        sender.sequenceNumber &+= UInt16(truncatingIfNeeded: jump)
        schedule += frames[20..<60].map { [sender.packet($0)] }
        let buffer = JitterBuffer(format: .slin)
        let output = run(buffer, schedule: schedule)
        #expect(Self.played(output) == Array(0..<60))
        #expect(buffer.statistics.late == 0)
    }

    @Test("a burst beyond the depth limit discards the oldest packets")
    func depthLimit() throws {
        var generator = SeededRandom(seed: 19)
        var sender = try FakeSender(format: .slin, generator: &generator)
        let frames = Self.numberedFrames(20)
        let buffer = JitterBuffer(format: .slin)  // 120 ms: six packets
        let output = run(buffer, schedule: [frames.map { sender.packet($0) }])
        #expect(buffer.statistics.discarded == 14)
        #expect(Self.played(output) == Array(14..<20))
    }

    @Test("packets of another payload type are counted as malformed and ignored")
    func wrongPayloadType() throws {
        var generator = SeededRandom(seed: 20)
        var sender = try FakeSender(format: .ulaw, generator: &generator)
        let buffer = JitterBuffer(format: .alaw)
        let output = run(buffer, schedule: Self.speechFrames(sampleRate: .hz8000, count: 10).map { [sender.packet($0)] })
        #expect(buffer.statistics.malformed == 10)
        #expect(buffer.statistics.received == 0)
        #expect(output.allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    @Test("insert and nextFrame may run on different threads")
    func concurrentUse() async throws {
        var generator = SeededRandom(seed: 21)
        var sender = try FakeSender(format: .g722, generator: &generator)
        let packets = Self.speechFrames(sampleRate: .hz16000, count: 500).map { sender.packet($0) }
        let buffer = JitterBuffer(format: .g722)
        let start = start
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for (index, packet) in packets.enumerated() { buffer.insert(packet, arrival: start + .milliseconds(20 * index)) }
            }
            group.addTask {
                for _ in 0..<500 { #expect(buffer.nextFrame().samples.count == 320) }
            }
        }
        let statistics = buffer.statistics
        #expect(statistics.received == 500)
    }
}
