import Foundation
import Logging
import Settings
import Telemetry
import Tools
import Voice

/// The call-control tools offered to the model and their mapping to ``CallAction``.
///
/// The model's arguments are treated as hostile (a caller can talk a model into anything): a
/// transfer destination must parse as a ``TransferDestination`` and be on the transfer
/// allow-list, or the model is told why not in the tool result and nothing is done.
struct CallTools {
    var transferAllowList: TransferAllowList?
    var metrics = URAMetrics()
    var logger = Logger(label: "ura.llm")

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
            parameters: .object(
                properties: parameters.mapValues { .string(.init(), description: $0) }, required: parameters.keys.sorted(), description: nil)))
    }

    /// A business tool as the model is shown it.
    static func definition(of tool: BusinessTool) -> ChatWire.Tool {
        ChatWire.Tool(function: .init(name: tool.name, description: tool.description, parameters: tool.parameters))
    }

    /// The action a completed tool call asks for, or why it cannot be done (told to the model).
    func action(for call: ToolCallAccumulator.Call) -> Result<CallAction, ToolCallRejection> {
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
            guard let text = argument("destination") else { return .failure(ToolCallRejection(reason: "destination is missing")) }
            let destination: TransferDestination
            do {
                destination = try TransferDestination(parsing: text)
            } catch {
                return .failure(refuse(text, reason: "invalid", why: "destination is not an extension or endpoint: it \(error)"))
            }
            if let transferAllowList, !transferAllowList.permits(destination) {
                return .failure(refuse(destination.description, reason: "not_allowed", why: "transfers to \(destination) are not allowed; \(transferAllowList.summary)"))
            }
            return .success(.transfer(destination: destination.description))
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

    /// Logs and counts a transfer the model asked for and does not get.
    private func refuse(_ destination: String, reason: String, why: String) -> ToolCallRejection {
        metrics.transferRefused(source: "llm", reason: reason)
        let shown = String(destination.unicodeScalars.prefix(TransferDestination.maximumLength).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
        logger.warning("transfer refused", metadata: ["destination": "\(shown)", "source": "llm", "reason": "\(reason)"])
        return ToolCallRejection(reason: why)
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
