/// The deadlines of one provider's requests.
public struct ProviderTimeouts: Sendable, Equatable {
    /// To open the TCP (and TLS) connection.
    public var connect: Duration
    /// From sending the request to the first byte of the answer's body: for a streamed answer
    /// this is the model's time to first token, the caller's wait.
    public var firstByte: Duration
    /// For the whole exchange, the last byte of a streamed answer included.
    public var total: Duration

    public init(connect: Duration = .seconds(2), firstByte: Duration = .seconds(5), total: Duration = .seconds(60)) {
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}
