import Foundation

/// The one way ARI's JSON is read: Foundation's `JSONDecoder` into the models generated from
/// the spec (scripts/generate-ari).
///
/// Cost (`scripts/bench ari`, the captured Asterisk 22 session, release, this project's idle
/// 2-core machine): 55 thousand events a second on one core, 18 µs an event, where the
/// hand-written parser it replaced did about 200 thousand. A call of that session raises 35
/// events (half of them ChannelVarset), so 1000 calls cost about 0.5 % of a core when they last
/// two minutes on average, and reach 1 % for calls shorter than about 65 s; events are decoded
/// on the events socket's thread, never on the media path. One mechanism for every model is
/// worth that.
enum ARIJSON {
    /// Shared: a decoder without options set keeps no state between calls.
    private static let decoder = JSONDecoder()

    /// Decodes `data` as `Model`, turning every failure into an ``ARIDecodingError``.
    ///
    /// Bytes that are not UTF-8 are repaired (U+FFFD) and decoded again rather than costing the
    /// message: a caller name from a SIP phone is not worth losing a call's events over.
    static func decode<Model: Decodable>(_ type: Model.Type, from data: Data) throws(ARIDecodingError) -> Model {
        do {
            return try decodeOnce(Model.self, from: data)
        } catch {
            guard String(validating: data, as: UTF8.self) == nil else { throw error }
            return try decodeOnce(Model.self, from: Data(String(decoding: data, as: UTF8.self).utf8))
        }
    }

    private static func decodeOnce<Model: Decodable>(_ type: Model.Type, from data: Data) throws(ARIDecodingError) -> Model {
        do {
            return try decoder.decode(Model.self, from: data)
        } catch let error as ARIDecodingError {
            throw error
        } catch DecodingError.dataCorrupted(let context) {
            throw .malformedJSON(reason: Self.reason(context))
        } catch {
            throw .unexpectedType(model: "\(Model.self)", expected: "JSON of its shape")
        }
    }

    private static func reason(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError { return "\(underlying)" }
        return context.debugDescription
    }
}
