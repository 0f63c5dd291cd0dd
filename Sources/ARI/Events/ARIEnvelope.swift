import Foundation

/// An event with the fields every ARI message shares: type, application, timestamp, Asterisk id.
///
/// ```swift
/// let envelope = try ARIEnvelope.decode(from: frame)
/// if case .stasisStart(let start) = envelope.event { … }
/// ```
public struct ARIEnvelope: Sendable, Hashable {
    /// The `type` member, exactly as sent.
    public var type: String
    /// The Stasis application the event was sent for; absent only for ``ARIEvent/missingParams(_:)``
    /// and, possibly, unknown types.
    public var application: String?
    /// When Asterisk raised the event; absent only where ``application`` may be.
    public var timestamp: Date?
    /// Which Asterisk raised it (its entity id), when it says so.
    public var asteriskID: String?
    /// The typed payload.
    public var event: ARIEvent

    /// Decodes one events-socket message, in one pass over its bytes.
    ///
    /// Unknown types become ``ARIEvent/unknown(type:raw:)``; unknown members are ignored.
    /// Safe to call from any thread; it never traps on bad input.
    /// - Throws: ``ARIDecodingError`` when `data` is not JSON, not an object, has no string
    ///   `type`, or is a known type whose required members are missing or of the wrong kind.
    public static func decode(from data: Data) throws(ARIDecodingError) -> ARIEnvelope {
        let message = try ARIJSON.decode(Message.self, from: data)
        return ARIEnvelope(
            type: message.type, application: message.application, timestamp: message.timestamp,
            asteriskID: message.asteriskID, event: message.event ?? .unknown(type: message.type, raw: data))
    }

    /// The members of the `Message` and `Event` base models, and the payload the `type` selects.
    private struct Message: Decodable {
        var type: String
        var application: String?
        var timestamp: Date?
        var asteriskID: String?
        var event: ARIEvent?

        init(from decoder: any Decoder) throws {
            let fields = try ARIFields(decoder, model: "ARI message")
            guard let type: String = try? fields.optional("type") else { throw ARIDecodingError.missingType }
            self.type = type
            asteriskID = try? fields.optional("asterisk_id")
            if type == "MissingParams" {
                event = try ARIEvent(type: type, from: decoder)
                return
            }
            guard let event = try ARIEvent(type: type, from: decoder) else {
                // Best effort for the envelope of an unknown type: it may not follow the Event model at all.
                application = try? fields.optional("application")
                timestamp = try? fields.optional("timestamp")
                return
            }
            self.event = event
            application = try fields.required("application") as String
            timestamp = try fields.required("timestamp") as Date
        }
    }
}
