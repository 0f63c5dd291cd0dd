/// Why the call record store could not do what was asked.
public enum CallRecordsError: Error, CustomStringConvertible, Sendable {
    /// The database file could not be opened or migrated.
    case open(path: String, reason: String)
    /// A read or write failed.
    case database(operation: String, reason: String)

    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open call records at \(path): \(reason)"
        case .database(let operation, let reason): "call records: \(operation) failed: \(reason)"
        }
    }
}
