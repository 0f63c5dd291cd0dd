import CSpanDSP

/// Synthesises audio for lost packets from the audio before them (spandsp's PLC: pitch-period
/// repetition with overlap-add, fading to silence over the first 50 ms at 8 kHz).
///
/// Works on decoded PCM, so it serves every codec; for 16 kHz formats it runs on 16 kHz audio,
/// where the same sample counts mean half the time (it fades out within 25 ms and looks for
/// pitch periods of 40–120 samples, 133–400 Hz, which covers most voices' fundamental or its
/// second harmonic). One concealer belongs to one stream; deliberately not Sendable.
final class PacketLossConcealer {
    private let state: UnsafeMutablePointer<plc_state_t>

    init() {
        state = .allocate(capacity: 1)
        plc_init(state)
    }

    deinit { state.deallocate() }

    /// Records received audio; after a loss it also blends the start of `samples` with the
    /// synthetic signal, so it may change them.
    func receive(_ samples: UnsafeMutableBufferPointer<Int16>) {
        guard let base = samples.baseAddress, !samples.isEmpty else { return }
        plc_rx(state, base, Int32(samples.count))
    }

    /// Fills `samples` with concealment audio for a missing stretch.
    func fillIn(_ samples: UnsafeMutableBufferPointer<Int16>) {
        guard let base = samples.baseAddress, !samples.isEmpty else { return }
        plc_fillin(state, base, Int32(samples.count))
    }

    /// Forgets the signal history, as for a new stream.
    func reset() { plc_init(state) }
}

@available(*, unavailable, message: "a concealer holds one stream's history; own it from one thread")
extension PacketLossConcealer: Sendable {}
