import Audio

extension JitterBuffer {
    /// The jitter buffer's state and rules, without the lock: a value owned by one
    /// ``JitterBuffer`` and only touched inside its mutex.
    struct Playout {
        enum Phase: Equatable {
            /// No stream yet, or the last one went quiet: the next packet starts playout.
            case idle
            /// Holding packets until the window has passed since the first one.
            case buffering(ticksWaited: Int)
            /// Handing out audio, one packet's worth after another.
            case playing
        }

        private let format: AudioFormat
        private let frameSamples: Int
        private let windowTicks: Int
        private let maxConcealmentSamples: Int
        private let maxDepthPackets: Int
        private let decoder: any AudioDecoder
        private let concealer = PacketLossConcealer()

        var statistics: RTPStatistics
        private(set) var phase = Phase.idle
        private var ssrc: UInt32?
        /// Extended sequence number of the next packet to play.
        private var nextSequence: Int64 = 0
        /// Undecoded payloads by extended sequence number.
        private var packets: [Int64: [UInt8]] = [:]
        /// Decoded or concealed audio not yet handed out (less than a frame, except just after
        /// a restart flushed an old stream).
        private var pending: [Int16] = []
        /// Samples concealed since the last real packet.
        private var concealedRun = 0
        /// Samples in the last decoded packet: how much one missing packet stands for.
        private var lastPacketSamples: Int
        /// A packet far from the expected sequence, kept until the next one confirms a jump.
        private var jumpCandidate: (sequenceNumber: UInt16, payload: [UInt8])?

        init(format: AudioFormat, configuration: Configuration) {
            self.format = format
            frameSamples = format.samplesPerFrame
            windowTicks = max(1, Self.ticks(configuration.window))
            maxConcealmentSamples = Self.ticks(configuration.maxConcealment) * frameSamples
            maxDepthPackets = max(windowTicks + 1, Self.ticks(configuration.maxDepth))
            decoder = format.makeDecoder()
            statistics = RTPStatistics(clockRate: format.rtpClockRate)
            lastPacketSamples = frameSamples
            pending.reserveCapacity(4 * frameSamples)
        }

        /// Whole 20 ms ticks in `duration`, rounded up and clamped to 0...3000 (a minute), so
        /// that no configured value, however odd, can overflow.
        private static func ticks(_ duration: Duration) -> Int {
            Int(min(max(duration / FrameTiming.duration, 0), 3000).rounded(.up))
        }

        // MARK: Insert

        mutating func insert(_ packet: RTPPacket, arrival: ContinuousClock.Instant) {
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
            if phase == .idle { begin(at: packet.sequenceNumber) }

            let sequence = extend(packet.sequenceNumber)
            let offset = sequence - nextSequence
            if offset >= Int64(RTPStatistics.maxDropout) || offset < -Int64(RTPStatistics.maxMisorder) {
                considerJump(packet)
                return
            }
            jumpCandidate = nil
            if offset < 0 {
                if case .buffering = phase, -offset < Int64(windowTicks) {
                    // Reordered before the first packet we saw: playout has not started, take it.
                    nextSequence = sequence
                } else {
                    if arrivalKind != .duplicate { statistics.recordLate() }
                    return
                }
            }
            guard packets[sequence] == nil else { return }  // a duplicate, already counted
            packets[sequence] = packet.payload
            trimToMaxDepth()
        }

        /// The extended sequence number closest to the one expected next.
        private func extend(_ sequenceNumber: UInt16) -> Int64 {
            nextSequence + Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: nextSequence)))
        }

        private mutating func begin(at sequenceNumber: UInt16) {
            // One cycle up, so sequence numbers just before the first stay positive.
            nextSequence = 65536 + Int64(sequenceNumber)
            phase = .buffering(ticksWaited: 0)
        }

        /// Plays out what the old stream left, then waits for the next packet to start again.
        private mutating func restart() {
            for sequence in packets.keys.sorted() {
                if let payload = packets[sequence] { appendDecoded(payload) }
            }
            packets.removeAll(keepingCapacity: true)
            decoder.reset()
            jumpCandidate = nil
            phase = .idle
        }

        private mutating func considerJump(_ packet: RTPPacket) {
            if let candidate = jumpCandidate, packet.sequenceNumber == candidate.sequenceNumber &+ 1 {
                restart()
                begin(at: candidate.sequenceNumber)
                packets[nextSequence] = candidate.payload
                packets[nextSequence + 1] = packet.payload
            } else {
                jumpCandidate = (packet.sequenceNumber, packet.payload)
            }
        }

        private mutating func trimToMaxDepth() {
            while packets.count > maxDepthPackets, let oldest = packets.keys.min() {
                packets[oldest] = nil
                statistics.recordDiscarded()
                nextSequence = max(nextSequence, oldest + 1)
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
            let available = min(frameSamples, pending.count)
            let samples = [Int16](unsafeUninitializedCapacity: frameSamples) { output, initialized in
                for index in 0..<available { output[index] = pending[index] }
                for index in available..<frameSamples { output[index] = 0 }
                initialized = frameSamples
            }
            pending.removeFirst(available)
            return PCMChunk(samples: samples, sampleRate: format.audioSampleRate)
        }

        /// Decodes or conceals, in sequence order, until a frame's worth is pending or the
        /// stream has gone quiet.
        private mutating func fillPending() {
            while pending.count < frameSamples {
                if let payload = packets.removeValue(forKey: nextSequence) {
                    nextSequence += 1
                    appendDecoded(payload)
                } else if packets.isEmpty && concealedRun >= maxConcealmentSamples {
                    phase = .idle
                    return
                } else {
                    nextSequence += 1
                    appendConcealment()
                }
            }
        }

        private mutating func appendDecoded(_ payload: [UInt8]) {
            let count = format.sampleCount(forPayloadByteCount: payload.count)
            guard count > 0 else { return }
            let start = pending.count
            let (decoder, concealer) = (decoder, concealer)
            pending.append(contentsOf: repeatElement(0, count: count))
            pending.withUnsafeMutableBufferPointer { buffer in
                let target = UnsafeMutableBufferPointer(rebasing: buffer[start...])
                let written = payload.withUnsafeBufferPointer { decoder.decode($0, into: target) }
                concealer.receive(UnsafeMutableBufferPointer(rebasing: target[..<written]))
            }
            lastPacketSamples = count
            concealedRun = 0
        }

        private mutating func appendConcealment() {
            let count = lastPacketSamples
            let start = pending.count
            pending.append(contentsOf: repeatElement(0, count: count))
            if concealedRun < maxConcealmentSamples {
                let concealer = concealer
                pending.withUnsafeMutableBufferPointer { buffer in
                    concealer.fillIn(UnsafeMutableBufferPointer(rebasing: buffer[start...]))
                }
            }
            concealedRun += count
        }
    }
}
