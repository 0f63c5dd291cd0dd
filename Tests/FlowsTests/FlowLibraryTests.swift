import Foundation
import Settings
import Testing
import Voice
@testable import Flows

@Suite("Flow transfers and the flow library")
struct FlowLibraryTests {
    static func flow(transfer: String, variables: String = "reception: PJSIP/1001") -> String {
        """
        flow: t
        languages: [en-US]
        start: menu
        variables:
          \(variables)
        states:
          menu:
            prompt: Hi.
            then:
              - transfer: "\(transfer)"
        """
    }

    @Test(arguments: [
        (",", "it has an empty part"),
        ("PJSIP/1001&PJSIP/00900", "\"&\""),
        ("{reception},2", "not [context,]exten[,priority]"),
        ("PJSIP/{input}", "{input} cannot be part of a destination"),
        ("PJSIP/{caller_number}", "{caller_number} cannot be part of a destination"),
    ])
    func aBadTransferFailsTheFlowAtItsLine(transfer: String, mentions: String) {
        do {
            _ = try FlowLoader.parse(yaml: Self.flow(transfer: transfer), file: "t.yaml")
            Issue.record("\(transfer) was accepted")
        } catch {
            #expect(error.problems.contains { $0.line == 10 && $0.message.contains(mentions) }, "\(error)")
            #expect(error.description.hasPrefix("t.yaml:10:"))
        }
    }

    @Test func transferDestinationsAreResolvedWithTheFlowsVariables() throws {
        let flow = try FlowLoader.parse(yaml: Self.flow(transfer: "{reception}"), file: "t.yaml")
        #expect(flow.transferDestinations == [.endpoint(technology: "PJSIP", resource: "1001")])
        let examples = try FlowLibrary.load(directory: ExampleFlows.directory.path)
        #expect(examples.names == ["clinic-en", "clinica"])
        #expect(examples.transferDestinations == [.endpoint(technology: "PJSIP", resource: "1001"), .endpoint(technology: "PJSIP", resource: "1002")])
    }

    func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "ura-flows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aBadFlowFailsTheWholeLoadNamingFileAndLine() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.flow(transfer: "PJSIP/1001").write(to: directory.appending(path: "good.yaml"), atomically: true, encoding: .utf8)
        try Self.flow(transfer: ",").write(to: directory.appending(path: "bad.yml"), atomically: true, encoding: .utf8)
        #expect {
            try FlowLibrary.load(directory: directory.path)
        } throws: { error in
            (error as? FlowLoadError)?.description.hasPrefix(directory.appending(path: "bad.yml").path + ":10:") == true
        }
    }

    @Test func aReloadKeepsAFlowWhoseEditIsBadAndTakesGoodEdits() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "desk.yaml")
        try Self.flow(transfer: "PJSIP/1001").write(to: file, atomically: true, encoding: .utf8)
        try "not a flow".write(to: directory.appending(path: "notes.txt"), atomically: true, encoding: .utf8)
        let library = try FlowLibrary.load(directory: directory.path)
        #expect(library.names == ["desk"])

        try Self.flow(transfer: "PJSIP/1001&PJSIP/00900").write(to: file, atomically: true, encoding: .utf8)
        let bad = library.reload()
        #expect(bad.failures.count == 1 && bad.failures.first?.file == file.path)
        #expect(library.flow(named: "desk")?.transferDestinations == [.endpoint(technology: "PJSIP", resource: "1001")])

        try Self.flow(transfer: "PJSIP/1002").write(to: file, atomically: true, encoding: .utf8)
        try Self.flow(transfer: "sales,s").write(to: directory.appending(path: "sales.yml"), atomically: true, encoding: .utf8)
        let good = library.reload()
        #expect(good.failures.isEmpty && good.loaded == ["desk", "sales"])
        #expect(library.transferDestinations == [
            .endpoint(technology: "PJSIP", resource: "1002"), .dialplan(context: "sales", extension: "s", priority: .number(1)),
        ])

        try FileManager.default.removeItem(at: directory.appending(path: "sales.yml"))
        #expect(library.reload().removed == ["sales"])
        #expect(library.flow(named: "sales") == nil)
    }

    @Test func callsReadNoFile() throws {
        let directory = try scratch()
        try Self.flow(transfer: "PJSIP/1001").write(to: directory.appending(path: "desk.yaml"), atomically: true, encoding: .utf8)
        let library = try FlowLibrary.load(directory: directory.path)
        try FileManager.default.removeItem(at: directory)
        // The files are gone: a brain can only come from what was loaded.
        let brain = try OfflineBrains.brain(for: .flow(name: "desk"), in: library)
        #expect(brain?.name == "flow:t")
        #expect(throws: OfflineBrains.UnknownFlow.self) { try OfflineBrains.brain(for: .flow(name: "other"), in: library) }
    }
}
