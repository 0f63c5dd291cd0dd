/// The members of a JSON object, in document order.
///
/// A list rather than a `Dictionary`: ARI objects have a dozen members, and hashing every key
/// (seeded SipHash) was the largest cost of decoding an event. Lookup scans from the end, so a
/// duplicated key reads as its last value, as in most JSON parsers.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The members in document (or insertion) order; duplicates are kept.
    public private(set) var members: [(key: String, value: JSONValue)]

    /// An empty object.
    public init() {
        members = []
    }

    /// An object with these members, in this order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    init(reservingCapacity capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    /// Number of members, duplicates included.
    public var count: Int { members.count }

    /// The value of `key`, or nil; setting nil removes every member with that key.
    public subscript(key: String) -> JSONValue? {
        get {
            var index = members.count
            while index > 0 {
                index -= 1
                if members[index].key == key { return members[index].value }
            }
            return nil
        }
        set {
            members.removeAll { $0.key == key }
            if let newValue { members.append((key, newValue)) }
        }
    }

    /// Adds a member without looking for an existing one (the parser's path).
    mutating func append(key: String, value: JSONValue) {
        members.append((key, value))
    }

    /// Iterates the members in order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    /// The members as a dictionary (last duplicate wins).
    public var dictionary: [String: JSONValue] {
        Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Equal when both have the same keys with equal values, whatever the order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.dictionary == rhs.dictionary
    }

    /// Consistent with ``==(_:_:)``: order-independent.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(dictionary)
    }
}
