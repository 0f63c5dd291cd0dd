import Audio
import CBacktrace
import Calls
import CMediaSockets
import Glibc
import Logging
import MallocInterposerSwift
import Media
import Synchronization
import Voice
import VoiceTesting

/// `MediaBench alloc`: heap allocations per 20 ms frame on running calls' media path.
///
/// Runs what calls run — ``CallMedia`` (socket, jitter buffer, decoder, encoder, the shared
/// pacer) — for N calls fed by a caller thread that sends one RTP packet per call every `ptime`
/// and reads what comes back, from buffers it allocates once. The bot is either the
/// ``LoopbackBot`` at delay 0, or the conversation pipeline with scripted providers (the caller
/// speaks a sentence every four seconds, espeak-ng's voice; the bot answers, and is talked over
/// now and then): the ``ConversationPipeline`` that ``ConversationBot`` wraps, handed each frame
/// as the bot does.
///
/// After a warm-up, ordo-one's malloc interposer counts every allocation in the process, and,
/// apart, those made on ura's media threads (the receive thread `ura-media-rx` and the pacer clock
/// `ura-pacer`). With the loopback bot nothing else runs, so the two agree; with the conversation
/// the pipeline's own task (recognition, replies) allocates on the cooperative pool, and the
/// media threads must still allocate nothing. A calibration (100 deliberate allocations)
/// proves the interposer is in place.
///
/// usage: MediaBench alloc [--calls 2] [--frames 1000] [--format ulaw|alaw|slin|g722] [--ptime 20]
///                         [--bot loopback|conversation] [--trace N | --trace-media N]
/// `--trace N` prints the stack of every Nth counted allocation to stderr (mangled; pipe it
/// through `swift demangle`), to find what allocates; `--trace-media N` only those of the media
/// threads.
/// Last line: `media: alloc_calls=… bot=… frames=… mallocs=… media_thread_mallocs=… bytes=…
///             mallocs_per_frame=… calibration=…`
/// Exits 1 when the calls did not run or the interposer counts nothing.
enum MediaAllocations {
    enum Bot: String { case loopback, conversation }

    struct Options {
        var calls = 2
        var frames = 1000
        var format = AudioFormat.ulaw
        var ptime = 20
        var bot = Bot.loopback
        var traceEvery = 0
        var traceMediaThreadsOnly = false

        init(_ arguments: [String]) {
            var rest = arguments[...]
            while let argument = rest.popFirst() {
                switch argument {
                case "--calls": calls = Int(rest.popFirst() ?? "") ?? calls
                case "--frames": frames = Int(rest.popFirst() ?? "") ?? frames
                case "--ptime": ptime = Int(rest.popFirst() ?? "") ?? ptime
                case "--trace": traceEvery = Int(rest.popFirst() ?? "") ?? traceEvery
                case "--trace-media":
                    traceEvery = Int(rest.popFirst() ?? "") ?? traceEvery
                    traceMediaThreadsOnly = true
                case "--format":
                    guard let chosen = AudioFormat(rawValue: rest.popFirst() ?? "") else { Self.usage() }
                    format = chosen
                case "--bot":
                    guard let chosen = Bot(rawValue: rest.popFirst() ?? "") else { Self.usage() }
                    bot = chosen
                default: Self.usage()
                }
            }
            guard calls > 0, frames > 0, [10, 20, 30, 40].contains(ptime) else { Self.usage() }
        }

        static func usage() -> Never {
            print("usage: MediaBench alloc [--calls N] [--frames N] [--format ulaw|alaw|slin|g722] [--ptime 10|20|30|40] [--bot loopback|conversation] [--trace N | --trace-media N]")
            exit(2)
        }
    }

    static func run(_ options: Options) async throws {
        let engine = try MediaEngine(bindAddress: "127.0.0.1", ports: 46000...46999, realtimePriority: nil)
        try engine.start()
        defer { engine.stop() }
        let rate = options.format.audioSampleRate
        let audio: [Int16]
        switch options.bot {
        case .loopback:
            audio = (0..<rate.hertz / 50).map { Int16(8000 * sin(Double($0) * 2 * .pi * 400 / Double(rate.hertz))) }
        case .conversation:
            let speech = try Resampler(from: SampleRate(hertz: 8000), to: rate)
                .process(SynthesizedSpeech.samples("what time is it please"))
            audio = speech + [Int16](repeating: 0, count: rate.hertz * 4 - speech.count % (rate.hertz * 4))
        }
        let caller = try Caller(calls: options.calls, format: options.format, ptime: options.ptime, audio: audio)
        let medias = try (0..<options.calls).map { _ in
            try CallMedia.open(engine: engine, format: options.format, jitterWindow: .milliseconds(60))
        }
        var conversations: [Task<Void, Never>] = []
        let recognizer = ScriptedRecognizer(sampleRate: 16000, script: ["what time is it please"], framesPerWord: 5)
        for (index, media) in medias.enumerated() {
            caller.aim(call: index, at: media.socket.localAddress)
            let handler: any CallAudioHandler
            switch options.bot {
            case .loopback:
                handler = LoopbackBot(delay: .zero)
            case .conversation:
                let pipeline = ConversationPipeline(
                    recognizer: recognizer,
                    brain: ScriptedBrain(recordsTurns: false) { _, _ in [.text("It is ten past three in the afternoon.")] },
                    synthesizer: ScriptedSynthesizer(sampleRate: 16000, durationPerCharacter: .milliseconds(60)),
                    output: PipelineOutput(output: media.output), control: NoCallControl(),
                    converters: SpeexConverter.factory, conversation: Conversation(language: "en-US"),
                    logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
                conversations.append(Task { await pipeline.run() })
                handler = PipelineFeed(pipeline: pipeline)
            }
            try media.connect(remote: caller.address(of: index), handler: handler)
        }
        caller.start()

        // Warm-up: the jitter buffer fills, queues and spare buffers reach their working sizes,
        // and a conversation has had a turn or two.
        MonotonicClock.sleep(until: MonotonicClock.now() + (options.bot == .conversation ? 9 : 3) * 1_000_000_000)
        let before = (back: caller.packetsBack, received: medias.reduce(0) { $0 + $1.statistics.received }, utterances: recognizer.utterances)
        AllocationCount.install(traceEvery: options.traceEvery, mediaThreadsOnly: options.traceMediaThreadsOnly)
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        MonotonicClock.sleep(until: MonotonicClock.now() + UInt64(options.frames) * 20_000_000)
        MallocInterposerSwift.unhook()
        let counted = MallocInterposerSwift.getStatistics()
        MallocInterposerSwift.setAllocationHook(nil)
        let mediaThreadAllocations = AllocationCount.mediaThreads.load(ordering: .relaxed)
        let back = caller.packetsBack - before.back
        let received = medias.reduce(0) { $0 + $1.statistics.received } - before.received
        let turns = recognizer.utterances - before.utterances
        caller.stop()
        for conversation in conversations { conversation.cancel() }
        for media in medias { await media.close() }

        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        var kept = 0
        for size in 1...100 { kept &+= calibrationAllocation(size) }
        MallocInterposerSwift.unhook()
        let calibration = MallocInterposerSwift.getStatistics().mallocCount

        let frames = options.frames * options.calls
        let sentByCaller = frames * 20 / options.ptime
        print("caller: packets_received_by_ura=\(received) of_sent=\(sentByCaller) packets_back=\(back) caller_turns=\(turns) checksum=\(kept)")
        print(
            "media: alloc_calls=\(options.calls) bot=\(options.bot.rawValue) format=\(options.format.rawValue) ptime_ms=\(options.ptime) frames=\(frames)"
                + " mallocs=\(counted.mallocCount) media_thread_mallocs=\(mediaThreadAllocations) bytes=\(counted.mallocBytesCount)"
                + " mallocs_per_frame=\(String(counted.mallocCount * 1000 / frames).withDecimal(3)) calibration=\(calibration)")
        fflush(nil)
        guard calibration >= 100 else {
            print("the malloc interposer counted \(calibration) of 100 allocations: it is not loaded (LD_PRELOAD)")
            exit(1)
        }
        guard received * 10 >= sentByCaller * 9 else {
            print("ura received \(received) of \(sentByCaller) packets: the calls did not run")
            exit(1)
        }
        switch options.bot {
        case .loopback:
            // ura sends 20 ms packets whatever the caller's ptime: one echo per call and frame.
            guard back * 10 >= frames * 9 else {
                print("only \(back) of \(frames) packets came back: the loopback did not run")
                exit(1)
            }
        case .conversation:
            guard turns > 0, back > 0 else {
                print("no conversation: \(turns) caller turns heard, \(back) packets of replies")
                exit(1)
            }
        }
    }

    /// One heap allocation the optimiser cannot remove.
    @inline(never)
    static func calibrationAllocation(_ size: Int) -> Int {
        let bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: size), count: size + 64)
        return Int(bytes[size / 2])
    }
}

/// What ``ConversationBot/inbound(_:output:)`` does with a frame, for a pipeline built here.
private struct PipelineFeed: CallAudioHandler {
    let pipeline: ConversationPipeline
    func inbound(_ frame: PCMChunk, output: CallAudioOutput) { pipeline.inbound(frame.samples) }
}

private struct NoCallControl: ConversationCallControl {
    func perform(_ action: CallAction) async {}
}

/// Counts allocations made on ura's media threads, and prints the stack of every Nth one
/// counted, from inside the allocator (see `cbt_print_stack`: no allocation of its own).
private enum AllocationCount {
    static let mediaThreads = Atomic(0)
    static let every = Atomic(0)
    static let seen = Atomic(0)
    static let mediaOnly = Atomic(false)

    static func install(traceEvery: Int, mediaThreadsOnly: Bool) {
        every.store(traceEvery, ordering: .relaxed)
        mediaOnly.store(mediaThreadsOnly, ordering: .relaxed)
        mediaThreads.store(0, ordering: .relaxed)
        _ = seen.load(ordering: .relaxed)
        // The unwinder's first use allocates: do it now, not inside the hook.
        if traceEvery > 0 { cbt_print_stack(-1) }
        MallocInterposerSwift.setAllocationHook { _ in
            let onMediaThread = cbt_thread_name_has_prefix("ura-media") != 0 || cbt_thread_name_has_prefix("ura-pacer") != 0
            if onMediaThread { AllocationCount.mediaThreads.add(1, ordering: .relaxed) }
            guard onMediaThread || !AllocationCount.mediaOnly.load(ordering: .relaxed) else { return }
            let every = AllocationCount.every.load(ordering: .relaxed)
            guard every > 0, AllocationCount.seen.add(1, ordering: .relaxed).newValue % every == 0 else { return }
            cbt_print_stack(2)
        }
    }
}

/// The callers: one UDP socket per call, sending `audio` (looped) in `ptime` packets on a thread
/// of its own from memory prepared up front, and reading what comes back (counted, discarded).
private final class Caller: @unchecked Sendable {
    // @unchecked: the buffers and remotes are written before `start()` and then only by the
    // sending thread; `backCount` and `stopRequested` are atomics.
    private let descriptors: [Int32]
    private var remotes: [sockaddr_in]
    /// Every packet's payload of the looped audio, back to back.
    private let payloads: UnsafeMutableRawBufferPointer
    private let payloadBytes: Int
    private let packetCount: Int
    /// One packet per call: header then payload, rewritten before each send.
    private let packets: UnsafeMutableRawBufferPointer
    private let packetSize: Int
    private let timestampStep: UInt32
    private let ptime: Int
    private let stopRequested = Atomic(false)
    private let backCount = Atomic(0)
    private var thread = pthread_t()

    var packetsBack: Int { backCount.load(ordering: .relaxed) }

    init(calls: Int, format: AudioFormat, ptime: Int, audio: [Int16]) throws {
        self.ptime = ptime
        let samplesPerPacket = format.audioSampleRate.hertz / 1000 * ptime
        timestampStep = UInt32(format.rtpClockRate / 1000 * ptime)
        let encoder = try format.makeEncoder()
        packetCount = max(1, audio.count / samplesPerPacket)
        payloadBytes = format.payloadByteCount(forSampleCount: samplesPerPacket)
        let payloads = UnsafeMutableRawBufferPointer.allocate(byteCount: payloadBytes * packetCount, alignment: 8)
        for packet in 0..<packetCount {
            let start = packet * samplesPerPacket
            var samples = Array(audio[min(start, audio.count)..<min(start + samplesPerPacket, audio.count)])
            samples += [Int16](repeating: 0, count: samplesPerPacket - samples.count)
            let payload = encoder.encode(samples)
            let target = payloads.baseAddress!.advanced(by: packet * payloadBytes)
            payload.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        self.payloads = payloads
        packetSize = 12 + payloadBytes
        packets = .allocate(byteCount: packetSize * calls, alignment: 8)
        var descriptors: [Int32] = []
        for call in 0..<calls {
            let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            descriptors.append(descriptor)
            let header = packets.baseAddress!.advanced(by: call * packetSize)
            header.storeBytes(of: 0x80, as: UInt8.self)
            header.storeBytes(of: format.payloadType, toByteOffset: 1, as: UInt8.self)
            header.storeBytes(of: UInt32.random(in: 1 ... .max).bigEndian, toByteOffset: 8, as: UInt32.self)
        }
        self.descriptors = descriptors
        remotes = Array(repeating: sockaddr_in(), count: calls)
    }

    deinit {
        for descriptor in descriptors { Glibc.close(descriptor) }
        payloads.deallocate()
        packets.deallocate()
    }

    func address(of call: Int) throws -> SocketAddress {
        var storage = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptors[call], $0, &length) }
        }
        return SocketAddress(host: .v4(storage.sin_addr.s_addr), port: UInt16(bigEndian: storage.sin_port))
    }

    func aim(call: Int, at address: SocketAddress) {
        remotes[call].sin_family = sa_family_t(AF_INET)
        remotes[call].sin_addr.s_addr = inet_addr("127.0.0.1")
        remotes[call].sin_port = address.port.bigEndian
    }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            Unmanaged<Caller>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box)
    }

    func stop() {
        stopRequested.store(true, ordering: .releasing)
        pthread_join(thread, nil)
    }

    private func run() {
        cms_thread_set_name("callers")
        var sequence: UInt16 = 0
        var timestamp: UInt32 = 0
        var index = 0
        let receive = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
        defer { receive.deallocate() }
        let addressLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        var next = cms_monotonic_now_ns()
        while !stopRequested.load(ordering: .acquiring) {
            let payload = payloads.baseAddress!.advanced(by: index * payloadBytes)
            // Index loops, no `for … in`: an unoptimised build allocates in array iterators.
            var call = 0
            while call < descriptors.count {
                let packet = packets.baseAddress!.advanced(by: call * packetSize)
                packet.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
                packet.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
                packet.advanced(by: 12).copyMemory(from: payload, byteCount: payloadBytes)
                _ = withUnsafePointer(to: &remotes[call]) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptors[call], packet, packetSize, 0, $0, addressLength)
                    }
                }
                call += 1
            }
            sequence &+= 1
            timestamp &+= timestampStep
            index = (index + 1) % packetCount
            next += UInt64(ptime) * 1_000_000
            while cms_monotonic_now_ns() < next {
                var call = 0
                while call < descriptors.count {
                    while recv(descriptors[call], receive.baseAddress, receive.count, 0) > 0 { backCount.add(1, ordering: .relaxed) }
                    call += 1
                }
                usleep(1000)
            }
        }
    }
}
