import Foundation
import Hummingbird

/// The JSON conventions of the operator API: snake_case keys and ISO 8601 times with milliseconds.
///
/// Public so that clients in this repository (`ura calls`, tests) read answers exactly as the
/// server writes them.
public enum OperatorJSON {
    /// An encoder for API answers.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timeStyle))
        }
        return encoder
    }

    /// A decoder for API answers.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTime(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an ISO 8601 time")
            }
            return date
        }
        return decoder
    }

    /// Reads an ISO 8601 time with or without fractional seconds (`2026-11-26T14:00:00Z`).
    public static func parseTime(_ text: String) -> Date? {
        (try? timeStyle.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// Formats a time the way the API writes it.
    public static func formatTime(_ date: Date) -> String {
        date.formatted(timeStyle)
    }

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// A response whose body is `value` as JSON.
    static func response(status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        // Encoding our own Codable types cannot fail; the fallback keeps the contract anyway.
        let data = (try? encoder().encode(value)) ?? Data(#"{"error":{"code":"internal","message":"response encoding failed"}}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
