/// Why a ``Resampler`` could not be created.
public enum ResamplerError: Error, Hashable, Sendable {
    /// Quality must be 0 (fastest) through 10 (best).
    case invalidQuality(Int)
    /// speexdsp refused the parameters; carries its error code.
    case speexError(code: Int32, inputHertz: Int, outputHertz: Int)
}
