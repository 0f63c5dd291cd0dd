import ARI
import Foundation

/// Any events-socket message either decodes or throws ``ARIDecodingError``, never traps; one that
/// decodes also decodes the same way a second time (the decoder keeps no state between messages).
enum ARIFuzzing {
    static func run(_ input: Data) {
        guard let envelope = try? ARIEnvelope.decode(from: input) else { return }
        FuzzTargetFailure.check((try? ARIEnvelope.decode(from: input)) == envelope, "ARI decoding is not repeatable")
    }
}
