/// The rules for `key=value` Stasis arguments, shared by whoever builds them (the operator
/// API's originate) and whoever reads them (the call layer).
///
/// Asterisk splits `Stasis(app,args)` and ARI's `appArgs` on `,` (and `|`), so a value holding
/// one would smuggle in an argument of its own (`x,bot=llm`). Names are plain identifiers; the
/// ones ura reads itself are reserved.
public enum StasisVariable {
    /// Keys ura gives meaning to; a request cannot set them as variables.
    public static let reservedNames: Set<String> = ["bot", "ura_call_id"]
    /// Longest name and value accepted.
    public static let maximumNameLength = 64
    public static let maximumValueLength = 256

    /// What is wrong with `name` as a variable name, or nil when it is fine.
    public static func problem(name: String) -> String? {
        guard !name.isEmpty, name.count <= maximumNameLength else { return "must be 1 to \(maximumNameLength) characters" }
        guard name.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }),
              name.first?.isNumber == false
        else { return "must be letters, digits and _, not starting with a digit" }
        guard !reservedNames.contains(name.lowercased()), !name.lowercased().hasPrefix("ura_") else { return "is reserved by ura" }
        return nil
    }

    /// What is wrong with `value` as a variable value, or nil when it is fine.
    public static func problem(value: String) -> String? {
        guard value.count <= maximumValueLength else { return "is longer than \(maximumValueLength) characters" }
        if value.contains(",") || value.contains("|") { return "contains \",\" or \"|\", which separate Stasis arguments" }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "contains a control character" }
        return nil
    }
}
