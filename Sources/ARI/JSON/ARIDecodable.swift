import Foundation

/// A type ARI sends as a JSON object (a REST response body or part of an event).
///
/// Decoding is tolerant the way Asterisk's evolution demands: unknown members are ignored,
/// optional members may be absent or `null`, and enumerations keep values they do not know.
/// Required members that are missing, or have the wrong JSON type, are errors.
///
/// Conforming models mirror the Swagger model of the same name (Asterisk 22 `api-docs`): each
/// property is the member of the same name in camelCase (`creationtime` → `creationTime`), with
/// the Swagger's "required" deciding between optional and not, except where real Asterisk
/// output is looser (documented on the property).
public protocol ARIDecodable: Sendable {
    /// Builds the value from an already parsed JSON value.
    /// - Throws: ``ARIDecodingError`` when a required member is missing or has the wrong type.
    init(json: JSONValue) throws(ARIDecodingError)
}

extension ARIDecodable {
    /// Parses and decodes JSON bytes.
    /// - Throws: ``ARIDecodingError``.
    public init(jsonData: Data) throws(ARIDecodingError) {
        try self.init(json: JSONValue.parse(jsonData))
    }
}
