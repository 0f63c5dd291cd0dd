import ArgumentParser
import Foundation
import HTTP
import Settings

/// `ura check`: is the configuration good and can ura work with this Asterisk?
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the configuration and reach Asterisk's ARI.",
        discussion: """
            Prints the Asterisk version and whether the Stasis app name is free. Exits 0 when ura \
            can run, 1 when Asterisk cannot be used, 2 when the configuration is wrong.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = options.loadOrExit()
        print("configuration: ok (ARI \(config.ari.url.absoluteString) as \(config.ari.username), app \(config.ari.app), media \(config.media.format.rawValue) on \(config.media.bindAddress):\(config.media.ports.lowerBound)-\(config.media.ports.upperBound), advertised as \(config.media.advertiseAddress))")
        let client = HTTPClient(name: "ura-check")
        defer { client.shutdown() }
        let probe = ARIProbe(client: client, config: config.ari)
        do {
            let version = try await probe.asteriskVersion()
            print("asterisk: reachable, version \(version)")
            if try await probe.isApplicationRegistered() {
                print("stasis app \"\(config.ari.app)\": in use (another ura, or a leftover registration, holds it)")
                throw ExitCode(1)
            }
            print("stasis app \"\(config.ari.app)\": free")
        } catch let error as ARIProbe.Failure {
            print("asterisk: \(error.description)")
            throw ExitCode(1)
        }
    }
}
