/// Q.850 hangup causes ARI accepts by name, and their `cause_txt` (`main/causes.h`).
enum HangupCause {
    /// `DELETE /channels/{id}?reason=` names.
    static let byReason: [String: Int] = [
        "normal": 16, "busy": 17, "congestion": 34, "no_answer": 19, "timeout": 18, "rejected": 21,
        "unallocated": 1, "normal_unspecified": 31, "number_incomplete": 28, "codec_mismatch": 58,
        "interworking": 127, "failure": 38, "answered_elsewhere": 26,
    ]

    static func text(_ cause: Int) -> String {
        switch cause {
        case 1: "Unallocated (unassigned) number"
        case 16: "Normal Clearing"
        case 17: "User busy"
        case 18: "No user responding"
        case 19: "User alerting, no answer"
        case 21: "Call Rejected"
        case 26: "Answered elsewhere"
        case 28: "Invalid number format (incomplete number)"
        case 31: "Normal, unspecified"
        case 34: "Circuit/channel congestion"
        case 38: "Network out of order"
        case 58: "Bearer capability not available"
        case 127: "Interworking, unspecified"
        default: "Unknown"
        }
    }
}
