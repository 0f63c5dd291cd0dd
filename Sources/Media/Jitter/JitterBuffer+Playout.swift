import Audio

extension JitterBuffer {
    /// The jitter buffer's state and rules, without the lock: a value owned by one
    /// ``JitterBuffer`` and only touched inside its mutex.
    ///
    /// Playout follows sequence numbers and sizes each packet by its own payload, so any
    /// packetisation works, mixed within a call, and timestamps (which phones move at will) never
    /// decide what plays. A packet counts as lost only when a later one is already here at its
    /// turn; when the buffer simply runs dry the sender is late or quiet, so nothing is skipped:
    /// the output conceals, then falls silent, and the next packet re-anchors playout with a new
    /// window. That is why a clean line never produces late packets, whatever its ptime.
    struct Playout {
        enum Phase: Equatable {
            /// No stream yet, or the buffer ran dry: the next packet starts playout.
            case idle
            /// Holding packets until the window has passed since the first one.
            case buffering(ticksWaited: Int)
            /// Handing out audio, one packet's worth after another.
            case playing
        }

        /// An undecoded payload and what it stands for.
        struct Held {
            var payload: [UInt8]
            var timestamp: UInt32
            var samples: Int
        }

        private let format: AudioFormat
        private let frameSamples: Int
        private let windowTicks: Int
        private let maxConcealmentSamples: Int
        private let maxDepthSamples: Int
        /// Audio samples per RTP timestamp unit (2 for G.722, else 1).
        private let samplesPerTimestampUnit: Int
        private let decoder: any AudioDecoder
        private let concealer = PacketLossConcealer()

        var statistics: RTPStatistics
        private(set) var phase = Phase.idle
        private var ssrc: UInt32?
        /// Extended sequence number of the next packet to play.
        private var nextSequence: Int64 = 0
        /// Set while a stream that has played is dry: sequence numbers below it are behind us.
        private var resumeFloor: Int64?
        /// Undecoded payloads by extended sequence number, all at or after ``nextSequence``.
        private var packets: [Int64: Held] = Dictionary(minimumCapacity: 8)
        /// Payload arrays of packets already played or dropped, reused for the next ones so
        /// that holding a packet allocates nothing once the stream is under way.
        private var spareBuffers: [[UInt8]] = []
        /// The array ``nextFrame()`` writes into and hands out.
        private var output: [Int16] = []
        /// Audio held in ``packets``.
        private var heldSamples = 0
        /// The longest packet of the stream, which widens the depth limit: a 120 ms packet must
        /// fit beside the window.
        private var longestPacketSamples: Int
        /// Decoded or concealed audio not yet handed out (less than a frame, except just after
        /// a restart flushed an old stream).
        private var pending: [Int16] = []
        /// Samples concealed since the last real packet.
        private var concealedRun = 0
        /// Samples in the last decoded packet: how much one missing packet stands for.
        private var lastPacketSamples: Int
        /// RTP timestamp just after the last decoded packet.
        private var expectedTimestamp: UInt32?
        /// A packet far from the expected sequence, kept until the next one confirms a jump.
        private var jumpCandidate: (sequenceNumber: UInt16, packet: Held)?

        init(format: AudioFormat, configuration: Configuration) {
            self.format = format
            frameSamples = format.samplesPerFrame
            windowTicks = max(1, Self.ticks(configuration.window))
            maxConcealmentSamples = Self.ticks(configuration.maxConcealment) * frameSamples
            maxDepthSamples = max(windowTicks + 1, Self.ticks(configuration.maxDepth)) * frameSamples
            samplesPerTimestampUnit = max(1, format.audioSampleRate.hertz / format.rtpClockRate)
            decoder = format.makeDecoder()
            statistics = RTPStatistics(clockRate: format.rtpClockRate)
            lastPacketSamples = frameSamples
            longestPacketSamples = frameSamples
            pending.reserveCapacity(4 * frameSamples)
            // As many 20 ms payloads as the window holds and two more, so that ordinary jitter
            // finds arrays ready; a deeper burst adds a few, once, that are then kept.
            let payloadBytes = format.payloadByteCount(forSampleCount: frameSamples)
            for _ in 0..<min(windowTicks + 2, Self.sparesKept) {
                var spare: [UInt8] = []
                spare.reserveCapacity(payloadBytes)
                spareBuffers.append(spare)
            }
            output = [Int16](repeating: 0, count: frameSamples)
        }

        /// Whole 20 ms ticks in `duration`, rounded up and clamped to 0...3000 (a minute), so
        /// that no configured value, however odd, can overflow.
        private static func ticks(_ duration: Duration) -> Int {
            Int(min(max(duration / FrameTiming.duration, 0), 3000).rounded(.up))
        }

        // MARK: Insert

        /// Spare payload arrays kept (more packets than that are rarely held at once).
        private static let sparesKept = 64

        mutating func insert(_ packet: RTPPacketView, arrival: ContinuousClock.Instant) {
            guard packet.payloadType == format.payloadType else {
                statistics.recordMalformed()
                return
            }
            let arrivalKind = statistics.record(
                sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, ssrc: packet.ssrc, arrival: arrival
            )
            if ssrc != packet.ssrc {
                if ssrc != nil { restart() }
                ssrc = packet.ssrc
            }
            if phase == .idle {
                guard resume(at: packet.sequenceNumber) else {
                    if arrivalKind != .duplicate { statistics.recordLate() }
                    return
                }
            }

            let sequence = extend(packet.sequenceNumber)
            let offset = sequence - nextSequence
            if offset >= Int64(RTPStatistics.maxDropout) || offset < -Int64(RTPStatistics.maxMisorder) {
                considerJump(packet.sequenceNumber, held(packet))
                return
            }
            jumpCandidate = nil
            if offset < 0 {
                // Playout of this stretch has not started: an earlier packet becomes its start,
                // unless it is one the stream played before it went dry.
                guard case .buffering = phase, sequence >= resumeFloor ?? .min else {
                    if arrivalKind != .duplicate { statistics.recordLate() }
                    return
                }
                nextSequence = sequence
            }
            guard packets[sequence] == nil else { return }  // a duplicate, already counted
            hold(held(packet), at: sequence)
        }

        /// The packet's payload copied into a spare array.
        private mutating func held(_ packet: RTPPacketView) -> Held {
            var payload = spareBuffers.popLast() ?? []
            payload.removeAll(keepingCapacity: true)
            payload.append(contentsOf: packet.payload)
            return Held(
                payload: payload, timestamp: packet.timestamp,
                samples: format.sampleCount(forPayloadByteCount: packet.payload.count))
        }

        /// Keeps a played or dropped packet's array for a later one.
        private mutating func recycle(_ held: Held) {
            guard spareBuffers.count < Self.sparesKept else { return }
            spareBuffers.append(held.payload)
        }

        /// The extended sequence number closest to the one expected next.
        private func extend(_ sequenceNumber: UInt16) -> Int64 {
            nextSequence + Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: nextSequence)))
        }

        /// Starts buffering at a packet that came while idle; false if the stream already
        /// played it (a late or duplicate packet after the buffer ran dry).
        private mutating func resume(at sequenceNumber: UInt16) -> Bool {
            if let floor = resumeFloor {
                let sequence = extend(sequenceNumber)
                let offset = sequence - floor
                if offset < 0 && offset >= -Int64(RTPStatistics.maxMisorder) { return false }
                if offset >= 0 && offset < Int64(RTPStatistics.maxDropout) {
                    nextSequence = sequence
                    startBuffering()
                    return true
                }
            }
            begin(at: sequenceNumber)
            return true
        }

        private mutating func begin(at sequenceNumber: UInt16) {
            // One cycle up, so sequence numbers just before the first stay positive.
            nextSequence = 65536 + Int64(sequenceNumber)
            resumeFloor = nil
            startBuffering()
        }

        /// Waits a window before playing, or, when an old stream left audio pending (a source
        /// change, a sequence jump), as long as that audio lasts: it was the old stream's cushion,
        /// it becomes the new one's, and the new stream follows on without a gap.
        private mutating func startBuffering() {
            let pendingTicks = min(windowTicks, pending.count / frameSamples)
            phase = .buffering(ticksWaited: pendingTicks > 0 ? windowTicks - pendingTicks : 0)
        }

        private mutating func hold(_ held: Held, at sequence: Int64) {
            packets[sequence] = held
            heldSamples += held.samples
            longestPacketSamples = max(longestPacketSamples, held.samples)
            trimToMaxDepth()
        }

        /// Plays out what the old stream left, then waits for the next packet to start again.
        private mutating func restart() {
            for sequence in packets.keys.sorted() {
                if let held = packets[sequence] {
                    appendDecoded(held)
                    recycle(held)
                }
            }
            packets.removeAll(keepingCapacity: true)
            heldSamples = 0
            longestPacketSamples = frameSamples
            decoder.reset()
            jumpCandidate = nil
            expectedTimestamp = nil
            resumeFloor = nil
            phase = .idle
        }

        private mutating func considerJump(_ sequenceNumber: UInt16, _ held: Held) {
            if let candidate = jumpCandidate, sequenceNumber == candidate.sequenceNumber &+ 1 {
                restart()
                begin(at: candidate.sequenceNumber)
                hold(candidate.packet, at: nextSequence)
                hold(held, at: nextSequence + 1)
            } else {
                if let replaced = jumpCandidate?.packet { recycle(replaced) }
                jumpCandidate = (sequenceNumber, held)
            }
        }

        /// Discards the oldest packets while more than the depth limit (plus the longest
        /// packet's excess over a frame) is held: the sender's clock runs faster than ours, or a
        /// burst arrived.
        private mutating func trimToMaxDepth() {
            let limit = maxDepthSamples + max(0, longestPacketSamples - frameSamples)
            while heldSamples > limit, !packets.isEmpty {
                var oldest = nextSequence
                while packets[oldest] == nil { oldest += 1 }
                if let dropped = packets.removeValue(forKey: oldest) {
                    heldSamples -= dropped.samples
                    recycle(dropped)
                }
                statistics.recordDiscarded()
                nextSequence = oldest + 1
            }
        }

        // MARK: Playout

        mutating func nextFrame() -> PCMChunk {
            switch phase {
            case .idle:
                break
            case .buffering(let ticksWaited):
                // The first packet waits `windowTicks` whole ticks, so one that arrives up to a
                // window after it is still in time.
                if ticksWaited >= windowTicks {
                    phase = .playing
                    fillPending()
                } else {
                    phase = .buffering(ticksWaited: ticksWaited + 1)
                }
            case .playing:
                fillPending()
            }
            if pending.count < frameSamples, resumeFloor != nil, concealedRun < maxConcealmentSamples {
                // Dry: bridge the gap as spandsp would a loss, until it has lasted too long.
                appendConcealment(frameSamples - pending.count)
            }
            let available = min(frameSamples, pending.count)
            // Taken out of `self` while written, so the only other reference is a frame handed
            // out earlier and still kept (then the write copies it, as it must).
            var frame: [Int16] = []
            swap(&frame, &output)
            frame.withUnsafeMutableBufferPointer { frame in
                pending.withUnsafeBufferPointer { pending in
                    for index in 0..<available { frame[index] = pending[index] }
                }
                for index in available..<frameSamples { frame[index] = 0 }
            }
            pending.removeFirst(available)
            output = frame
            return PCMChunk(samples: frame, sampleRate: format.audioSampleRate)
        }

        /// Decodes or conceals, in sequence order, until a frame's worth is pending or nothing
        /// more is held.
        private mutating func fillPending() {
            while pending.count < frameSamples {
                if let held = packets.removeValue(forKey: nextSequence) {
                    heldSamples -= held.samples
                    nextSequence += 1
                    appendDecoded(held)
                    recycle(held)
                } else if packets.isEmpty {
                    // Nothing after it is here either: the sender is late or paused, not lossy.
                    resumeFloor = nextSequence
                    phase = .idle
                    return
                } else if concealedRun >= maxConcealmentSamples {
                    // A long run is missing: go on with what is here rather than add its length
                    // to the delay as silence.
                    while packets[nextSequence] == nil { nextSequence += 1 }
                } else {
                    // A later packet is here, so this one is lost (or later than the window).
                    let missing = missingSamples()
                    nextSequence += 1
                    appendConcealment(missing)
                }
            }
        }

        /// How much audio the packet at ``nextSequence`` stood for: the timestamp gap to the
        /// packet after it when that is plausible, else the size of the last packet.
        private func missingSamples() -> Int {
            if let expected = expectedTimestamp, let following = packets[nextSequence + 1] {
                let units = Int(Int32(bitPattern: following.timestamp &- expected))
                let samples = units * samplesPerTimestampUnit
                if samples > 0 && samples <= longestPacketSamples { return samples }
            }
            return lastPacketSamples
        }

        private mutating func appendDecoded(_ held: Held) {
            expectedTimestamp = held.timestamp &+ UInt32(truncatingIfNeeded: held.samples / samplesPerTimestampUnit)
            guard held.samples > 0 else { return }
            let start = pending.count
            let (decoder, concealer) = (decoder, concealer)
            appendZeros(held.samples)
            pending.withUnsafeMutableBufferPointer { buffer in
                let target = UnsafeMutableBufferPointer(rebasing: buffer[start...])
                let written = held.payload.withUnsafeBufferPointer { decoder.decode($0, into: target) }
                concealer.receive(UnsafeMutableBufferPointer(rebasing: target[..<written]))
            }
            lastPacketSamples = held.samples
            concealedRun = 0
        }

        private mutating func appendConcealment(_ count: Int) {
            let start = pending.count
            appendZeros(count)
            if concealedRun < maxConcealmentSamples {
                let concealer = concealer
                pending.withUnsafeMutableBufferPointer { buffer in
                    concealer.fillIn(UnsafeMutableBufferPointer(rebasing: buffer[start...]))
                }
            }
            concealedRun += count
            if let expected = expectedTimestamp {
                expectedTimestamp = expected &+ UInt32(truncatingIfNeeded: count / samplesPerTimestampUnit)
            }
        }

        /// Grows ``pending`` by `count` zeros, one at a time: `append(contentsOf:)` of a repeated
        /// element allocates per element in unoptimised builds, and tests run those.
        private mutating func appendZeros(_ count: Int) {
            for _ in 0..<count { pending.append(0) }
        }
    }
}
