import ARI
import ArgumentParser
import Flows
import Foundation
import HTTP
import Logging
import Settings
import StructuredLogging

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
        print("configuration: ok (ARI \(config.ari.url.absoluteString) as \(config.ari.username), app \(config.ari.app), media \(config.media.format.rawValue) on \(config.media.bindAddress):\(config.media.ports.lowerBound)-\(config.media.ports.upperBound), advertised as \(config.media.advertiseAddress))")
        print("flows: \(flows.names.isEmpty ? "none" : flows.names.joined(separator: ", ")) (from \(config.flowsDirectory))")
        let http = HTTPClient(name: "ura-check")
        defer { http.shutdown() }
        let ari = config.makeARIClient(http: http, logger: Logger(label: "ura.check"))
        do {
            let info = try await ari.info([.system])
            print("asterisk: reachable, version \(info.system?.version ?? "unknown")")
            if try await ari.listApplications().contains(where: { $0.name == config.ari.app }) {
                print("stasis app \"\(config.ari.app)\": in use (another ura, or a leftover registration, holds it)")
                throw ExitCode(1)
            }
            print("stasis app \"\(config.ari.app)\": free")
        } catch let error as ARIError {
            print("asterisk: \(Self.explain(error, config: config.ari))")
            throw ExitCode(1)
        }
    }

    static func explain(_ error: ARIError, config: Configuration.ARI) -> String {
        switch error.status {
        case 401: "ARI refused user \"\(config.username)\" (401): check ARI_USERNAME/ARI_PASSWORD against ari.conf"
        case 403: "ARI user \"\(config.username)\" may not do this (403): read_only or ACL in ari.conf"
        case 404: "ARI not found at \(config.url.absoluteString)/ari (404): is res_ari loaded, and is the http.conf prefix part of ARI_URL?"
        case 503: "Asterisk is still booting (503); try again"
        default: "\(error)"
        }
    }
}
