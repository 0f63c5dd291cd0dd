import Foundation
import HTTP

/// A successful provider answer whose body is still arriving.
public struct ProviderResponse: Sendable {
    public var head: HTTPResponseHead
    /// The body in pieces as they arrive, already past its first byte; it fails with
    /// ``ProviderError`` (never a raw HTTP error) and stops at the endpoint's size limit.
    public var body: AsyncThrowingStream<Data, any Error>

    /// The whole body.
    public func collect() async throws -> Data {
        var data = Data()
        for try await piece in body { data.append(piece) }
        return data
    }
}
