import ArgumentParser
import Bots
import Providers
import Calls
import HTTP
import Logging
import ServiceLifecycle
import Settings

/// `ura serve`: run the voice agent.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the voice agent: take calls that Asterisk sends to Stasis(ARI_APP).",
        discussion: """
            Keeps the ARI events socket connected (retrying with backoff while Asterisk is away), \
            answers each call, bridges it to an externalMedia RTP channel and lets the bot talk. \
            Stops gracefully on SIGTERM or SIGINT: no new calls, active calls drain for \
            SHUTDOWN_DRAIN_SECONDS, then SHUTDOWN_REMAINING_CALLS applies. Exits 2 on a \
            configuration error.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = options.loadOrExit()
        config.bootstrapLogging()
        let logger = Logger(label: "ura")
        logger.info("starting", metadata: [
            "version": "\(URA.version)", "ari_url": "\(config.ari.url.absoluteString)", "app": "\(config.ari.app)",
            "media_format": "\(config.media.format.rawValue)", "bot": "\(config.bot)",
            "media": "\(config.media.bindAddress):\(config.media.ports.lowerBound)-\(config.media.ports.upperBound)",
            "advertise": "\(config.media.advertiseAddress)",
        ])
        let http = HTTPClient(name: "ura-ari-http")
        defer { http.shutdown() }
        let engine: MediaEngine
        do {
            engine = try config.makeMediaEngine()
            try engine.start()
        } catch {
            logger.critical("cannot start the media engine", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        defer { engine.stop() }
        let providers: ProviderFactory
        do {
            providers = try ProviderFactory(settings: config.ai)
        } catch {
            logger.critical("cannot set up the AI providers", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        defer { providers.shutdown() }
        let bots = BotCatalog(
            loopbackDelay: .milliseconds(config.media.loopbackDelayMilliseconds), providers: providers,
            logger: Logger(label: "ura.voice"))
        let calls = CallService(
            ari: config.makeARIClient(http: http, logger: Logger(label: "ura.ari")),
            connection: config.makeEventConnection(), engine: engine, settings: config.callSettings,
            shutdown: config.shutdownSettings, bots: bots,
            logger: Logger(label: "ura.calls"))
        let group = ServiceGroup(
            services: [calls], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
        logger.info("stopped", metadata: ["calls": "\(calls.counters.callsStarted)"])
    }
}
