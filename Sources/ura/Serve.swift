import ArgumentParser
import Logging
import ServiceLifecycle
import Settings

/// `ura serve`: run the voice agent.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the voice agent: take calls that Asterisk sends to Stasis(ARI_APP).",
        discussion: "Stops gracefully on SIGTERM or SIGINT. Exits 2 on a configuration error."
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = options.loadOrExit()
        config.bootstrapLogging()
        let logger = Logger(label: "ura")
        logger.info("starting", metadata: [
            "version": "\(URA.version)", "ari_url": "\(config.ari.url.absoluteString)", "app": "\(config.ari.app)",
            "media_format": "\(config.media.format.rawValue)", "bot": "\(config.bot)",
        ])
        let services: [any Service] = []
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
    }
}
