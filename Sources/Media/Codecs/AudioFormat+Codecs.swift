public import Audio

/// The codecs of each format: the factory the rest of ura uses to get them.
extension AudioFormat {
    /// The format called `name` (the ARI externalMedia `format` value, case-insensitive).
    ///
    /// - Throws: ``CodecError/unknownFormat(_:)`` for any other name.
    public init(name: String) throws(CodecError) {
        guard let format = AudioFormat(rawValue: name.lowercased()) else { throw .unknownFormat(name) }
        self = format
    }

    /// A new decoder for one inbound stream. G.722's is stateful: use one per stream.
    public func makeDecoder() -> any AudioDecoder {
        switch self {
        case .ulaw: MuLawCodec()
        case .alaw: ALawCodec()
        case .slin, .slin16: LinearPCMDecoder(format: self)
        case .g722: G722Decoder()
        }
    }

    /// A new encoder for one outbound stream. G.722's is stateful: use one per stream.
    ///
    /// - Throws: ``CodecError/receiveOnly(_:)`` for slin16, which Asterisk drops.
    public func makeEncoder() throws(CodecError) -> any AudioEncoder {
        switch self {
        case .ulaw: MuLawCodec()
        case .alaw: ALawCodec()
        case .slin: LinearPCMEncoder()
        case .slin16: throw .receiveOnly(self)
        case .g722: G722Encoder()
        }
    }
}
