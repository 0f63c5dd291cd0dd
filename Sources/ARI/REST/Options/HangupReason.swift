/// Why ura hangs a channel up: one of ARI's named reasons, or a raw Q.850 cause code.
public enum HangupReason: Sendable, Hashable {
    /// 16, the default.
    case normal
    case busy
    case congestion
    case noAnswer
    case timeout
    case rejected
    case unallocated
    case normalUnspecified
    case numberIncomplete
    case codecMismatch
    case interworking
    case failure
    case answeredElsewhere
    /// A Q.850 cause code, sent as `reason_code`.
    case q850(Int)

    /// The query parameter ARI expects: `reason` for names, `reason_code` for codes (never both: 400).
    var parameter: (name: String, value: String) {
        switch self {
        case .normal: ("reason", "normal")
        case .busy: ("reason", "busy")
        case .congestion: ("reason", "congestion")
        case .noAnswer: ("reason", "no_answer")
        case .timeout: ("reason", "timeout")
        case .rejected: ("reason", "rejected")
        case .unallocated: ("reason", "unallocated")
        case .normalUnspecified: ("reason", "normal_unspecified")
        case .numberIncomplete: ("reason", "number_incomplete")
        case .codecMismatch: ("reason", "codec_mismatch")
        case .interworking: ("reason", "interworking")
        case .failure: ("reason", "failure")
        case .answeredElsewhere: ("reason", "answered_elsewhere")
        case .q850(let code): ("reason_code", String(code))
        }
    }
}
