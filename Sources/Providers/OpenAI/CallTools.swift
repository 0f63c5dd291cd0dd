import Foundation
import Voice

/// The call-control tools offered to the model and their mapping to ``CallAction``.
enum CallTools {
    static let definitions: [ChatWire.Tool] = [
        tool("transfer_call", "Transfer the caller to a person, department or extension.",
             ["destination": "Extension number or endpoint to transfer to, e.g. 1002."]),
        tool("end_call", "End the call when the caller is done or asks to hang up.",
             ["reason": "Why the call ends, in a few words."]),
        tool("send_dtmf", "Send keypad tones on the line, e.g. to navigate another phone menu.",
             ["digits": "The keys to press: 0-9, *, #."]),
    ]

    private static func tool(_ name: String, _ description: String, _ parameters: [String: String]) -> ChatWire.Tool {
        ChatWire.Tool(function: .init(
            name: name, description: description,
            parameters: .init(properties: parameters.mapValues { .init(description: $0) }, required: parameters.keys.sorted())))
    }

    /// The action a completed tool call asks for, or why it cannot be done (told to the model).
    static func action(for call: ToolCallAccumulator.Call) -> Result<CallAction, ToolCallRejection> {
        let object = (try? JSONSerialization.jsonObject(with: Data(call.arguments.utf8))) as? [String: Any]
        guard let object else { return .failure(ToolCallRejection(reason: "arguments are not a JSON object")) }
        func argument(_ key: String) -> String? {
            if let text = object[key] as? String {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed
            }
            if let number = object[key] as? NSNumber { return number.stringValue }
            return nil
        }
        switch call.name {
        case "transfer_call":
            guard let destination = argument("destination") else { return .failure(ToolCallRejection(reason: "destination is missing")) }
            return .success(.transfer(destination: destination))
        case "end_call":
            return .success(.hangUp(reason: argument("reason") ?? "caller done"))
        case "send_dtmf":
            let allowed = Set("0123456789*#ABCDabcd")
            guard let digits = argument("digits"), digits.allSatisfy({ allowed.contains($0) }) else {
                return .failure(ToolCallRejection(reason: "digits must be 0-9, * or #"))
            }
            return .success(.sendDTMF(digits: digits))
        default:
            return .failure(ToolCallRejection(reason: "there is no tool named \(call.name)"))
        }
    }

    /// The tool result told to the model for a follow-up reply.
    static func result(for outcome: Result<CallAction, ToolCallRejection>) -> String {
        switch outcome {
        case .success(.transfer(let destination)):
            "OK: the call will be transferred to \(destination) right after your next sentence. Tell the caller in one short sentence."
        case .success(.hangUp):
            "OK: the call will end right after your next sentence. Say a short goodbye."
        case .success(.sendDTMF(let digits)):
            "OK: the tones \(digits) will be sent."
        case .success:
            "OK."
        case .failure(let rejection):
            "Error: \(rejection.reason). Do not retry; tell the caller briefly if needed."
        }
    }
}

/// Why a tool call the model made was not carried out.
struct ToolCallRejection: Error, Equatable {
    var reason: String
}
