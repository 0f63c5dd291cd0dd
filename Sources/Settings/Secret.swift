/// A credential that must never reach a log line or an error message.
///
/// Printing, interpolating or dumping a `Secret` shows `<redacted>`; only ``reveal()`` gives the
/// value, so each place that sends it on the wire is easy to find.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret's value, for the one place that must send it.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
