import ARI
import ArgumentParser
import Flows
import Foundation
import HTTP
import Logging
import MCPTools
import Settings
import StructuredLogging
import Tools

/// `ura check`: is the configuration good and can ura work with this Asterisk?
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the configuration and reach Asterisk's ARI.",
        discussion: """
            Checks the flows of FLOWS_DIR, prints the Asterisk version and whether the Stasis app \
            name is free. Exits 0 when ura can run, 1 when Asterisk cannot be used, 2 when the \
            configuration (or a flow) is wrong.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = options.loadOrExit()
        let flows = try config.loadFlowsOrExit()
        let tools = try config.loadToolsOrExit(envFile: options.envFile)
        let servers = config.ari.urls.map(\.absoluteString).joined(separator: " ")
        print("configuration: ok (ARI \(servers) as \(config.ari.username), app \(config.ari.app), media \(config.media.format.rawValue) on \(config.media.bindAddress):\(config.media.ports.lowerBound)-\(config.media.ports.upperBound), advertised as \(config.media.advertiseAddresses.joined(separator: " ")))")
        print("flows: \(flows.names.isEmpty ? "none" : flows.names.joined(separator: ", ")) (from \(config.flowsDirectory))")
        if let tools { print("tools: \(tools.tools.isEmpty ? "none" : tools.tools.map(\.name).joined(separator: ", ")) (from \(config.toolsFile ?? ""))") }
        let http = HTTPClient(name: "ura-check")
        defer { http.shutdown() }
        var offered = Set(tools?.tools.map(\.name) ?? [])
        for server in tools?.mcpServers ?? [] {
            let connection = MCPServerConnection(settings: server, shelf: ToolShelf(), http: http, logger: Logger(label: "ura.check"))
            switch await connection.probe() {
            case .success(let names):
                print("mcp server \(server.name): \(names.isEmpty ? "no tools ura can offer" : names.joined(separator: ", "))")
                offered.formUnion(names)
            case .failure(let error):
                print("warning: mcp server \(server.name): unavailable (\(error)); ura serve keeps trying, its tools are missing meanwhile")
            }
        }
        for problem in config.flowToolProblems(flows: flows, offered: offered) {
            print("warning: \(problem) is not in TOOLS_FILE or its MCP servers; that step takes its on_error steps")
        }
        var usable = true
        for server in config.ari.urls.indices {
            // With several servers each line says which one it is about.
            let label = config.ari.urls.count > 1 ? " \(config.ari.urls[server].absoluteString)" : ""
            let ari = config.makeARIClient(server: server, http: http, logger: Logger(label: "ura.check"))
            do {
                let info = try await ari.info([.system])
                print("asterisk\(label): reachable, version \(info.system?.version ?? "unknown")")
                if try await ari.listApplications().contains(where: { $0.name == config.ari.app }) {
                    print("stasis app \"\(config.ari.app)\"\(label): in use (another ura, or a leftover registration, holds it)")
                    usable = false
                } else {
                    print("stasis app \"\(config.ari.app)\"\(label): free")
                }
            } catch let error as ARIError {
                print("asterisk\(label): \(Self.explain(error, url: config.ari.urls[server], config: config.ari))")
                usable = false
            }
        }
        if !(await checkRecords(config)) { usable = false }
        if !usable { throw ExitCode(1) }
    }

    /// Opens the records as `ura serve` would (a shared database's schema is brought up to date).
    private func checkRecords(_ config: Configuration) async -> Bool {
        guard config.records.url != nil else {
            // Not opened: that would leave a new file behind.
            print("records: \(config.records.path) (SQLite)")
            return true
        }
        do {
            let store = try await config.openRecordStore(logger: Logger(label: "ura.check"))
            try? await store.close()
            print("records: \(config.recordsLocation): ok")
            return true
        } catch let error as ConfigurationError {
            StandardErrorOutput().write(line: "ura: configuration error: \(error)\n")
            Foundation.exit(2)
        } catch {
            print("records: \(error)")
            return false
        }
    }

    static func explain(_ error: ARIError, url: URL, config: Configuration.ARI) -> String {
        switch error.status {
        case 401: "ARI refused user \"\(config.username)\" (401): check ARI_USERNAME/ARI_PASSWORD against ari.conf"
        case 403: "ARI user \"\(config.username)\" may not do this (403): read_only or ACL in ari.conf"
        case 404: "ARI not found at \(url.absoluteString)/ari (404): is res_ari loaded, and is the http.conf prefix part of ARI_URL?"
        case 503: "Asterisk is still booting (503); try again"
        default: "\(error)"
        }
    }
}
