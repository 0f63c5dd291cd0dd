import Bots
import Flows
import Foundation
import HTTP
import LoopbackHTTPServer
import Testing
import Tools
import Voice

/// The shipped flows book through the shipped tool file (deploy/tools/clinic.yaml) against a
/// clinic API on loopback.
@Suite(.timeLimit(.minutes(1))) struct ShippedBookingTests {
    static func repository(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: path).path
    }

    @Test(arguments: [("clinic-en", "en-US", "general practice", "You are booked for Monday at 9:00, with Dr. Reis. Your confirmation code is A17."),
                      ("clinica", "pt-BR", "clínica geral", "Sua consulta ficou para Monday at 9:00, com Dr. Reis. O código de confirmação é A17.")])
    func aCallerBooksByKeypad(flowName: String, language: String, specialty: String, confirmation: String) async throws {
        let clinic = try await LoopbackHTTPServer { _ in .json(201, #"{"when":"Monday at 9:00","doctor":"Dr. Reis","code":"A17","room":"3B"}"#) }
        defer { clinic.shutdown() }
        let catalog = try ToolCatalog.load(
            path: Self.repository("deploy/tools/clinic.yaml"),
            environment: ["CLINIC_API_URL": clinic.baseURL.absoluteString, "CLINIC_API_TOKEN": "token-1"])
        let http = HTTPClient(name: "shipped-booking")
        defer { http.shutdown() }
        let library = try FlowLibrary.load(directory: Self.repository("flows"))
        let flow = try #require(library.flow(named: flowName))
        #expect(flow.toolNames == ["book_appointment"])
        let brain = FlowBrain(flow: flow, tools: FlowTools(shelf: ToolShelf(catalog), runner: ToolRunner(http: http)))
        var conversation = Conversation(language: language, callerNumber: "1001")
        var said = ""
        for input in [BrainInput.greeting, .dtmf("3"), .dtmf("1")] {
            said = ""
            for try await output in brain.respond(to: input, in: conversation) {
                if case .text(let text) = output { said += text }
                if case .action(.setVariable(let name, let value)) = output { conversation.variables[name] = value }
            }
        }
        #expect(said.contains(confirmation), "\(said)")
        let request = try #require(clinic.requests.first)
        #expect(request.method == "POST" && request.path == "/appointments")
        #expect(request.header("Authorization") == "Bearer token-1")
        #expect(try ToolValue.parse(request.body) == .object(["specialty": .string(specialty), "phone": .string("1001"), "source": .string("ura")]))
    }
}
