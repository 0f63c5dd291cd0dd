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

    /// A transfer target: `[context,]exten[,priority]` (`1002`, `sales,s,1`) or an endpoint (`PJSIP/1002`).
    static func validDestination(_ destination: String) throws -> TransferDestination {
        do {
            return try TransferDestination(parsing: destination)
        } catch {
            throw OperatorAPIError.invalidRequest("field \"destination\" \(error) (expected [context,]exten[,priority] or TECH/resource)")
        }
    }

    /// `TECH/resource`, as Asterisk's originate takes it (the same rules as a transfer endpoint:
    /// no `&` multi-dial, no `,` options).
    static func validEndpoint(_ endpoint: String) throws -> String {
        let problem: String
        do {
            if case .endpoint = try TransferDestination(parsing: endpoint) { return endpoint.trimmingCharacters(in: .whitespaces) }
            problem = "names no technology (as in PJSIP/1001)"
        } catch {
            problem = error.problem
        }
        throw OperatorAPIError.invalidRequest("field \"endpoint\" \(problem) (expected TECH/resource such as PJSIP/1001)")
    }

    static func validOriginate(_ body: OriginateBody) throws -> OriginateRequest {
        let bot: BotChoice
        do {
            bot = try BotChoice(parsing: body.bot, variable: "bot")
        } catch {
            throw OperatorAPIError.invalidRequest("field \"bot\": \(error.problem)")
        }
        if let callerID = body.callerID,
           callerID.isEmpty || callerID.count > 80 || callerID.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw OperatorAPIError.invalidRequest("field \"caller_id\" must be 1 to 80 characters, none of them control characters")
        }
        let variables = body.variables ?? [:]
        // Each variable becomes a `name=value` Stasis argument: a "," in a value or a name like
        // bot would smuggle in an argument of its own.
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            if let problem = StasisVariable.problem(name: name) {
                throw OperatorAPIError.invalidRequest("variable name \"\(printable(name.prefix(64)))\" \(problem)")
            }
            if let problem = StasisVariable.problem(value: value) {
                throw OperatorAPIError.invalidRequest("variable \"\(name)\" \(problem)")
            }
        }
        return OriginateRequest(endpoint: try validEndpoint(body.endpoint), bot: bot, callerID: body.callerID, variables: variables)
    }

    /// Text safe to echo in an error: printable ASCII, anything else as `?`.
    private static func printable(_ text: Substring) -> String {
        String(text.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }
}
