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

    /// Decodes one events-socket message.
    ///
    /// Unknown types become ``ARIEvent/unknown(type:raw:)``; unknown members are ignored.
    /// Safe to call from any thread; it never traps on bad input.
    /// - Throws: ``ARIDecodingError`` when `data` is not JSON, not an object, has no string
    ///   `type`, or is a known type whose required members are missing or of the wrong kind.
    public static func decode(from data: Data) throws(ARIDecodingError) -> ARIEnvelope {
        guard case .object(let members) = try JSONValue.parse(data) else {
            throw .unexpectedType(model: "ARI message", expected: "a JSON object")
        }
        guard case .string(let type)? = members["type"] else { throw .missingType }
        let object = JSONObjectReader(members: members, model: type)
        let asteriskID = try? object.optionalString("asterisk_id")

        if type == "MissingParams" {
            return ARIEnvelope(
                type: type, application: nil, timestamp: nil, asteriskID: asteriskID,
                event: .missingParams(try ARIEvent.MissingParams(object)))
        }
        guard let event = try ARIEvent(type: type, object) else {
            // Best effort for the envelope of an unknown type: it may not follow the Event model at all.
            return ARIEnvelope(
                type: type, application: try? object.optionalString("application"),
                timestamp: try? object.optionalDate("timestamp"), asteriskID: asteriskID,
                event: .unknown(type: type, raw: data))
        }
        return ARIEnvelope(
            type: type, application: try object.string("application"), timestamp: try object.date("timestamp"),
            asteriskID: asteriskID, event: event)
    }
}
