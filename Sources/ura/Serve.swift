import ArgumentParser
import CallOperations
import CallRecords
import Metrics
import OperatorAPI
import Prometheus
import Telemetry
import Bots
import Flows
import Tools
import Webhooks
import Providers
import Calls
import HTTP
import Logging
import MCPTools
import ServiceLifecycle
import Settings
import StructuredLogging

/// `ura serve`: run the voice agent.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the voice agent: take calls that Asterisk sends to Stasis(ARI_APP).",
        discussion: """
            Keeps the ARI events socket connected (retrying with backoff while Asterisk is away), \
            answers each call, bridges it to an externalMedia RTP channel and lets the bot talk. \
            Stops gracefully on SIGTERM or SIGINT: no new calls, active calls drain for \
            SHUTDOWN_DRAIN_SECONDS, then SHUTDOWN_REMAINING_CALLS applies. SIGHUP reloads the \
            flows of FLOWS_DIR (a flow that fails to load keeps its previous version). Exits 2 \
            on a configuration error, a bad flow included.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = options.loadOrExit()
        let flows = try config.loadFlowsOrExit()
        let tools = try config.loadToolsOrExit(envFile: options.envFile).map { ToolShelf($0) }
        let tls = config.operatorAPI.tls.map { OperatorTLS(certificatePath: $0.certificatePath, privateKeyPath: $0.privateKeyPath) }
        do {
            try tls?.check()
        } catch {
            StandardErrorOutput().write(line: "ura: configuration error: OPERATOR_TLS_CERT and OPERATOR_TLS_KEY cannot be loaded as PEM: \(error)\n")
            throw ExitCode(2)
        }
        config.bootstrapLogging()
        let logger = Logger(label: "ura")
        logger.info("starting", metadata: [
            "version": "\(URA.version)", "ari_url": "\(config.ari.urls.map(\.absoluteString).joined(separator: " "))", "app": "\(config.ari.app)",
            "media_format": "\(config.media.format.rawValue)", "bot": "\(config.bot)",
            "media": "\(config.media.bindAddress):\(config.media.ports.lowerBound)-\(config.media.ports.upperBound)",
            "advertise": "\(config.media.advertiseAddresses.joined(separator: " "))",
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
        let transfers = config.makeTransferAllowList(flows: flows)
        // MCP servers' tools are known once each server has been tried: flows are checked then.
        let reportFlowToolProblems: @Sendable () -> Void = {
            for problem in config.flowToolProblems(flows: flows, offered: Set(tools?.catalog.tools.map(\.name) ?? [])) {
                logger.warning(
                    "a flow calls a tool TOOLS_FILE (or its MCP servers) does not offer; that step takes its on_error steps",
                    metadata: ["problem": "\(problem)"])
            }
        }
        // Its own HTTP client: a slow MCP server never queues behind ARI requests.
        let mcpHTTP = HTTPClient(name: "ura-mcp")
        defer { mcpHTTP.shutdown() }
        let mcp = tools.flatMap { shelf in
            shelf.catalog.mcpServers.isEmpty ? nil
                : MCPToolbox(servers: shelf.catalog.mcpServers, shelf: shelf, http: mcpHTTP, onFirstListing: reportFlowToolProblems)
        }
        if mcp == nil { reportFlowToolProblems() }
        let providers: ProviderFactory
        do {
            providers = try await config.makeProviders(transfers: transfers, tools: tools)
        } catch {
            logger.critical("cannot set up the AI providers", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        defer { providers.shutdown() }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(URAMetricsFactory(registry: registry))
        let store: any CallRecordStore
        do {
            store = try await config.openRecordStore(logger: Logger(label: "ura.records"))
        } catch let error as ConfigurationError {
            StandardErrorOutput().write(line: "ura: configuration error: \(error)\n")
            throw ExitCode(2)
        } catch {
            logger.critical("cannot open the call records", metadata: ["records": "\(config.recordsLocation)", "error": "\(error)"])
            throw ExitCode(1)
        }
        let hub = CallEventHub(onDrop: { URAMetrics().eventsDropped($0) })
        // Its own HTTP client: a slow webhook receiver never queues behind ARI requests.
        let webhookHTTP = HTTPClient(name: "ura-webhooks")
        defer { webhookHTTP.shutdown() }
        let webhooks = config.webhook.map { webhook in
            WebhookDispatcher(
                settings: .init(url: webhook.url, secret: webhook.secret.reveal(), turns: webhook.turns), http: webhookHTTP,
                logger: Logger(label: "ura.webhooks"))
        }
        let journal = CallJournal(
            store: store, hub: hub, prices: config.ai.prices, listeners: webhooks.map { [$0] } ?? [],
            owner: .init(instance: config.ari.app, url: config.operatorAPI.advertiseURL?.absoluteString), logger: Logger(label: "ura.records"))
        let bots = BotCatalog(
            loopbackDelay: .milliseconds(config.media.loopbackDelayMilliseconds), providers: providers,
            conversation: config.conversationSettings,
            offlineBrains: BotCatalog.offlineBrains(
                from: flows, tools: tools.flatMap { shelf in providers.toolRunner.map { FlowTools(shelf: shelf, runner: $0) } }),
            observers: { journal.conversationObserver(callID: $0.callID) },
            meters: { journal.track($1, callID: $0) }, logger: Logger(label: "ura.voice"))
        // One call service per Asterisk: its own events socket, reconnecting on its own, its own
        // calls; MAX_CALLS and the media ports are the instance's, shared by all.
        let admission = CallAdmission(limit: config.maximumCalls == 0 ? nil : config.maximumCalls)
        let calls = config.ari.urls.indices.map { server in
            var logger = Logger(label: "ura.calls")
            var ariLogger = Logger(label: "ura.ari")
            if config.ari.urls.count > 1 {
                logger[metadataKey: "asterisk"] = "\(config.serverName(server))"
                ariLogger[metadataKey: "asterisk"] = "\(config.serverName(server))"
            }
            return CallService(
                ari: config.makeARIClient(server: server, http: http, logger: ariLogger), connection: config.makeEventConnection(server: server),
                engine: engine, settings: config.callSettings(transfers: transfers, server: server), shutdown: config.shutdownSettings,
                bots: bots, observer: journal, peers: config.peerWatchSettings, admission: admission, logger: logger)
        }
        // A shared store shows the fleet's calls; an operator's request for another instance's
        // call is handed to that instance.
        let fleetHTTP = HTTPClient(name: "ura-fleet")
        defer { fleetHTTP.shutdown() }
        let fleet = config.records.url == nil ? nil : FleetCalls(
            store: store, instance: config.ari.app,
            forwarding: .init(
                http: fleetHTTP, token: config.operatorAPI.token?.reveal(), trustedCertificatesPath: config.operatorAPI.tls?.certificatePath),
            logger: Logger(label: "ura.fleet"))
        let control = OperatorCallControl(services: calls, journal: journal, store: store, application: config.ari.app, fleet: fleet)
        let operatorSettings = config.operatorAPI
        let api = OperatorServer(
            host: operatorSettings.host, port: operatorSettings.port, token: operatorSettings.token?.reveal(),
            tls: tls,
            dependencies: OperatorDependencies(
                control: control, records: store, events: hub, readiness: control, metrics: registry,
                limits: OperatorLimits(
                    maximumEventStreams: operatorSettings.maximumEventStreams, originatesPerMinute: operatorSettings.originatesPerMinute,
                    originateBurst: operatorSettings.originateBurst)))
        let flowReloader = FlowReloader(
            flows: flows, transfers: transfers, configured: config.namedTransferDestinations, logger: Logger(label: "ura.flows"))
        let toolReloader = tools.map { ToolReloader(shelf: $0, configuration: config, envFile: options.envFile, logger: Logger(label: "ura.tools")) }
        let reloader = ReloadOnHangup(reloads: [flowReloader.reload] + (toolReloader.map { [$0.reload] } ?? []))
        // Order is dependency order: records first, the operator API last (stopped first).
        let group = ServiceGroup(
            services: [CallRecordRetention(
                store: store, days: config.records.retentionDays,
                recordingsDirectory: config.recording.directory), reloader] as [any Service]
                + (webhooks.map { [$0] } ?? []) + (mcp.map { [$0] } ?? [])
                + [PacerHealth(engine: engine, logger: Logger(label: "ura.media"))] as [any Service] + calls + [api],
            gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
        try? await store.close()
        logger.info("stopped", metadata: ["calls": "\(calls.map(\.counters.callsStarted).reduce(0, +))"])
    }
}
