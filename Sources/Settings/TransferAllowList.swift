import Foundation
import Synchronization

/// A `TRANSFER_ALLOW` entry: a destination in which `*` stands for any run of characters
/// (`PJSIP/1*`, `support,100`, `support,*`). Matching ignores case.
public struct TransferPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as matched: a destination's canonical text, with `*` wildcards.
    public let text: String

    /// - Throws: ``TransferDestination/Invalid`` when the pattern, with its wildcards filled in,
    ///   is not a destination.
    public init(parsing raw: String) throws(TransferDestination.Invalid) {
        // A wildcard filled in must still give a destination: the pattern cannot allow what
        // the parser refuses anyway, and a typo is reported instead of never matching.
        let filled = try TransferDestination(parsing: raw.replacingOccurrences(of: "*", with: "1"))
        text = raw.contains("*") ? raw.trimmingCharacters(in: .whitespaces) : filled.description
    }

    public var description: String { text }

    /// Whether `destination` (its canonical text) fits the pattern.
    public func matches(_ destination: TransferDestination) -> Bool {
        Self.glob(Array(text.lowercased().utf8), Array(destination.description.lowercased().utf8))
    }

    /// `*`-only glob matching, iterative with one backtrack point (linear in practice).
    private static func glob(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        var p = 0, t = 0
        var starAt = -1, resumeAt = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if starAt >= 0 {
                p = starAt + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}

/// Which destinations untrusted sources — the LLM, a flow whose destination the call's own
/// variables changed — may send a caller to: the guard against toll fraud by a caller who
/// talks the model into dialling a premium or international number.
///
/// Allowed are the destinations the operator's own configuration and loaded flows name
/// (``named``, replaced when flows are reloaded) and those matching `TRANSFER_ALLOW`.
/// Shared by every call and read on each transfer; thread-safe.
public final class TransferAllowList: Sendable {
    /// `TRANSFER_ALLOW`'s patterns (empty when unset).
    public let patterns: [TransferPattern]
    private let namedBox: Mutex<Set<TransferDestination>>

    public init(patterns: [TransferPattern] = [], named: Set<TransferDestination> = []) {
        self.patterns = patterns
        namedBox = Mutex(named)
    }

    /// The destinations configuration and flows name.
    public var named: Set<TransferDestination> { namedBox.withLock { $0 } }

    /// Replaces the named destinations (after flows were reloaded).
    public func replaceNamed(_ destinations: Set<TransferDestination>) { namedBox.withLock { $0 = destinations } }

    /// Whether a caller may be sent to `destination`. Case is ignored, as Asterisk ignores it
    /// in technology names (`pjsip/1001` is `PJSIP/1001`).
    public func permits(_ destination: TransferDestination) -> Bool {
        let text = destination.description.lowercased()
        return namedBox.withLock { $0.contains { $0.description.lowercased() == text } } || patterns.contains { $0.matches(destination) }
    }

    /// What is allowed, in words (for the model's tool result and logs).
    public var summary: String {
        let items = named.map(\.description).sorted() + patterns.map(\.text)
        return items.isEmpty ? "no transfers are allowed on this line" : "allowed destinations: " + items.prefix(20).joined(separator: ", ")
    }
}
