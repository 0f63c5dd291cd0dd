import Foundation
import Hummingbird
import Settings

/// `POST /v1/calls/{id}/say`.
struct SayBody: Decodable {
    var text: String
    var interrupt: Bool?
}

/// `POST /v1/calls/{id}/transfer`.
struct TransferBody: Decodable {
    var destination: String
}

/// `POST /v1/calls`.
struct OriginateBody: Decodable {
    var endpoint: String
    var bot: String
    var callerID: String?
    var variables: [String: String]?

    enum CodingKeys: String, CodingKey {
        case endpoint, bot, variables
        case callerID = "caller_id"
    }
}

/// Reads and checks request bodies, turning every problem into a 400 that names it.
enum RequestBodies {
    static let maximumBytes = 64 * 1024
    static let maximumTextLength = 2000

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBytes)
        guard buffer.readableBytes > 0 else { throw OperatorAPIError.invalidRequest("the request needs a JSON body") }
        do {
            // Plain keys: the body's fields are named as in the JSON, so errors name them as the client wrote them.
            return try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw OperatorAPIError.invalidRequest(describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing field \"\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "field \"\(path(context.codingPath))\" must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "field \"\(path(context.codingPath))\" must be \(describe(type)), not null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "field \"\(path(context.codingPath))\" is invalid"
        @unknown default:
            return "the body could not be read"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [String: String].Type: "an object of strings"
        case is Int.Type, is Double.Type: "a number"
        default: "of another type"
        }
    }

    /// Text for speech: not blank, not too long.
    static func validSpeech(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw OperatorAPIError.invalidRequest("field \"text\" is empty") }
        guard trimmed.count <= maximumTextLength else {
            throw OperatorAPIError.invalidRequest("field \"text\" has \(trimmed.count) characters; at most \(maximumTextLength)")
        }
        return trimmed
    }

    /// A transfer target: `[context,]exten[,priority]` (`1002`, `sales,s,1`) or an endpoint (`PJSIP/1002`); printable, no spaces.
    static func validDestination(_ destination: String) throws -> String {
        guard !destination.isEmpty else { throw OperatorAPIError.invalidRequest("field \"destination\" is empty") }
        guard destination.count <= 128, destination.unicodeScalars.allSatisfy({ isDialString($0) || $0 == "," }) else {
            throw OperatorAPIError.invalidRequest(
                "field \"destination\" must be [context,]exten[,priority] or TECH/resource: up to 128 printable characters without spaces")
        }
        return destination
    }

    /// `TECH/resource`, as Asterisk's originate takes it.
    static func validEndpoint(_ endpoint: String) throws -> String {
        let parts = endpoint.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, endpoint.count <= 128,
            parts[0].unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) }),
            endpoint.unicodeScalars.allSatisfy(isDialString)
        else {
            throw OperatorAPIError.invalidRequest("field \"endpoint\" is \"\(endpoint.prefix(128))\"; expected TECH/resource such as PJSIP/1001")
        }
        return endpoint
    }

    static func validOriginate(_ body: OriginateBody) throws -> OriginateRequest {
        let bot: BotChoice
        do {
            bot = try BotChoice(parsing: body.bot, variable: "bot")
        } catch {
            throw OperatorAPIError.invalidRequest("field \"bot\" is \"\(body.bot.prefix(128))\", not one of loopback, echo, flow:<file>, llm")
        }
        if let callerID = body.callerID, callerID.isEmpty || callerID.count > 80 {
            throw OperatorAPIError.invalidRequest("field \"caller_id\" must be 1 to 80 characters")
        }
        let variables = body.variables ?? [:]
        for name in variables.keys where name.isEmpty || !name.unicodeScalars.allSatisfy(isVariableName) {
            throw OperatorAPIError.invalidRequest("variable name \"\(name.prefix(64))\" must be letters, digits and _")
        }
        return OriginateRequest(endpoint: try validEndpoint(body.endpoint), bot: bot, callerID: body.callerID, variables: variables)
    }

    private static func isDialString(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0x20 && scalar.value < 0x7F && scalar != "," && scalar != "\\"
    }

    private static func isVariableName(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.isASCII && CharacterSet.alphanumerics.contains(scalar))
    }
}
