import Foundation

/// Reads a server's explanation out of an error response body.
///
/// OpenAI and most compatible servers send `{"error":{"message":…}}`; FastAPI-based ones
/// (faster-whisper servers, LocalAI parts) send `{"detail":"…"}` or a list of
/// `{"detail":[{"msg":…}]}`; some send `{"error":"…"}` or `{"message":…}`. Anything else is
/// quoted as text, cut short.
enum ErrorBody {
    static func message(from body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let error = object["error"] as? String { return error }
            if let detail = object["detail"] as? String { return detail }
            if let details = object["detail"] as? [[String: Any]] {
                let messages = details.compactMap { $0["msg"] as? String }
                if !messages.isEmpty { return messages.joined(separator: "; ") }
            }
            if let message = object["message"] as? String { return message }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(no body)" : text
    }
}
