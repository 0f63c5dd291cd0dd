import Audio
import Foundation

/// Everything ura is told by its operator, read once at start and validated as a whole.
///
/// Values come from the process environment, with an optional `.env` file underneath it (the
/// environment wins, as with docker compose). ``load(environment:)`` either returns a complete,
/// consistent configuration or throws the first ``ConfigurationError`` it meets.
public struct Configuration: Sendable, Equatable {
    /// How ura reaches Asterisk's REST interface and events socket.
    public struct ARI: Sendable, Equatable {
        /// Base URLs of the Asterisk servers' HTTP servers, without the `/ari` path (`http.conf`
        /// prefix kept): one events socket each; each call is driven on the server it came from.
        public var urls: [URL]
        public var username: String
        public var password: Secret
        /// The Stasis application name: the `Stasis(<app>)` of the dialplan.
        public var app: String
        /// Deadline of one REST request, in milliseconds.
        public var requestTimeoutMilliseconds: Int
        /// This instance's name in the ids of the resources it creates (`URA_INSTANCE`); nil: the
        /// application name, or for the default `ura` the plain ids of a single instance.
        public var instance: String? = nil
        /// How long another instance's heartbeat may stand still before this one continues its
        /// callers in the dialplan and deletes its resources (`PEER_GRACE_SECONDS`); 0: never.
        public var peerGraceSeconds: Int = 15
    }

    /// Where ura's RTP sockets live and how Asterisk reaches them.
    public struct Media: Sendable, Equatable {
        /// Local address the per-call UDP sockets bind to.
        public var bindAddress: String
        /// Addresses given to Asterisk as externalMedia `external_host`: the bind address unless
        /// ura sits behind NAT (Docker), where it is the address Asterisk can reach. One for every
        /// server, or one per ``ARI/urls`` entry; see ``advertiseAddress(server:)``.
        public var advertiseAddresses: [String]

        /// The address the `server`th entry of ``ARI/urls`` sends RTP to.
        public func advertiseAddress(server: Int) -> String {
            advertiseAddresses.count == 1 ? advertiseAddresses[0] : advertiseAddresses[server]
        }
        /// Ports for per-call sockets; one port per concurrent call.
        public var ports: ClosedRange<Int>
        /// The audio format Asterisk sends and receives on the externalMedia channel.
        /// `MEDIA_FORMAT`: one Asterisk's chan_rtp accepts back (not slin16, a dynamic payload type it drops).
        public var format: AudioFormat
        /// Reordering window of the inbound jitter buffer.
        public var jitterBufferMilliseconds: Int
        /// Delay of the loopback diagnostic bot.
        public var loopbackDelayMilliseconds: Int
    }

    /// ura's own HTTP API for operators.
    public struct OperatorAPI: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// Bearer token for every route but liveness, at least ``Configuration/minimumOperatorTokenLength``
        /// characters; required unless listening on 127.0.0.1 or ::1.
        public var token: Secret?
        /// PEM certificate and key to serve HTTPS with; nil serves plain HTTP.
        public var tls: TLS?
        /// Live event streams open at once.
        public var maximumEventStreams: Int = 32
        /// Calls that may be placed per minute on average.
        public var originatesPerMinute: Int = 60
        /// Calls that may be placed at once before the per-minute rate applies.
        public var originateBurst: Int = 10
        /// `OPERATOR_ADVERTISE_URL`: where the other instances of a fleet reach this one's API
        /// (written into its call records), to hand it requests only the instance carrying a call can do.
        public var advertiseURL: URL? = nil
    }

    /// The files of the operator API's HTTPS.
    public struct TLS: Sendable, Equatable {
        public var certificatePath: String
        public var privateKeyPath: String
    }

    /// Where finished calls are kept and for how long.
    public struct Records: Sendable, Equatable {
        /// The SQLite file of call records; `:memory:` keeps none across restarts. Unused when ``url`` is set.
        public var path: String
        /// `RECORDS_URL`: a PostgreSQL database (`postgresql://user:password@host/database`) the
        /// instances of a fleet share, instead of a file each. Checked in full when opened.
        public var url: Secret? = nil
        /// Calls older than this many days are deleted (at start and daily).
        public var retentionDays: Int
    }

    /// What happens when ura is asked to stop.
    public struct Shutdown: Sendable, Equatable {
        /// How long active calls may go on after SIGTERM.
        public var drainSeconds: Int
        /// What ura does with calls still up when the drain time is over.
        public var remainingCalls: RemainingCalls
    }

    /// What calls do when the AI providers fail replies, after their retries and fallbacks.
    public struct ProviderFailure: Sendable, Equatable {
        /// What is done on the ``threshold``-th consecutive failed reply (the ones before it are apologised for).
        public var action: ProviderFailureAction
        public var threshold: Int
    }

    /// When a caller's turn ends, when the bot may be interrupted, how long a call may idle.
    public struct TurnTaking: Sendable, Equatable {
        public var endpointSilenceMilliseconds: Int
        /// Smart endpointing: the silence after a complete sentence, and after a hesitation.
        public var smartEndpointing: Bool
        public var endpointSilenceMinimumMilliseconds: Int
        public var endpointSilenceMaximumMilliseconds: Int
        public var maximumUtteranceSeconds: Int
        public var noInputTimeoutMilliseconds: Int
        public var noInputReprompts: Int
        public var maximumCallSeconds: Int
        public var bargeIn: Bool
        public var bargeInMinimumSpeechMilliseconds: Int
        /// Acoustic echo cancellation of the bot's voice on the caller's audio.
        public var echoCancellation: Bool
        /// Words that acknowledge rather than interrupt; nil keeps the built-in English and
        /// Portuguese list.
        public var backchannels: [String]?
    }

    public var ari: ARI
    public var media: Media
    /// Which brain answers calls unless a call's Stasis arguments say `bot=`.
    public var bot: BotChoice
    public var operatorAPI: OperatorAPI
    public var records: Records
    public var logLevel: LogLevel
    public var logFormat: LogFormat
    public var shutdown: Shutdown
    /// The LLM, speech-to-text and text-to-speech services of the `llm` bot.
    public var ai: AIProviders
    public var providerFailure: ProviderFailure
    public var turnTaking: TurnTaking
    /// Where flows live (`FLOWS_DIR`): `flow:<name>` is `<name>.yaml` there, never a path.
    public var flowsDirectory: String
    /// `TRANSFER_ALLOW`: destinations the LLM and flows may send callers to, besides the ones
    /// the configuration and flows name themselves.
    public var transferAllow: [TransferPattern]
    /// Calls taken at once (`MAX_CALLS`); a caller beyond it goes back to the dialplan. 0: no limit.
    public var maximumCalls: Int
    /// Whether transcripts, bot text and DTMF digits may be written to logs (`LOG_TRANSCRIPTS`).
    public var logTranscripts: Bool
    /// Where call events are posted; nil: nowhere.
    public var webhook: Webhook? = nil
    /// The business's tools for the `llm` bot (`TOOLS_FILE`, YAML); nil: only call control.
    public var toolsFile: String? = nil
    /// `RECORDING`, `RECORDINGS_DIR`.
    public var recording = Recording(mode: .off, directory: "recordings")

    /// The destinations the configuration itself names (always allowed).
    public var namedTransferDestinations: Set<TransferDestination> {
        if case .transfer(let destination) = providerFailure.action { [destination] } else { [] }
    }
}

extension Configuration {
    /// Reads and validates the configuration.
    /// - Parameter environment: variable names to values (process environment over `.env`).
    /// - Throws: ``ConfigurationError`` for the first missing or bad value.
    public static func load(environment: [String: String]) throws(ConfigurationError) -> Configuration {
        let reader = EnvironmentReader(environment)
        let ari = ARI(
            urls: try reader.ariURLs(),
            username: reader.string("ARI_USERNAME", default: "ura"),
            password: try reader.secret("ARI_PASSWORD", example: "ARI_PASSWORD=<password of the ari.conf user>"),
            app: try reader.appName(),
            requestTimeoutMilliseconds: try reader.integer("ARI_REQUEST_TIMEOUT_MS", default: 5000, in: 100...120_000),
            instance: try reader.instanceName(),
            peerGraceSeconds: try reader.integer("PEER_GRACE_SECONDS", default: 15, in: 0...3600))

        let bindAddress = try reader.ipAddress("MEDIA_BIND_ADDRESS", default: "0.0.0.0")
        let start = try reader.integer("RTP_PORT_START", default: 40000, in: 1024...65535)
        let end = try reader.integer("RTP_PORT_END", default: 40999, in: 1024...65535)
        guard start <= end else {
            throw ConfigurationError(
                variable: "RTP_PORT_START", problem: "(\(start)) is above RTP_PORT_END (\(end))",
                example: "RTP_PORT_START=40000 RTP_PORT_END=40999")
        }
        let media = Media(
            bindAddress: bindAddress,
            advertiseAddresses: try reader.advertiseAddresses(bindAddress: bindAddress, servers: ari.urls.count),
            ports: start...end,
            format: try reader.mediaFormat(),
            jitterBufferMilliseconds: try reader.integer("JITTER_BUFFER_MS", default: 60, in: 20...1000),
            loopbackDelayMilliseconds: try reader.integer("LOOPBACK_DELAY_MS", default: 500, in: 0...10_000))

        let operatorAPI = try OperatorAPI.load(environment: environment)

        let flowsDirectory = try reader.flowsDirectory()
        let bot = try BotChoice(parsing: reader.string("URA_BOT", default: defaultBot(in: flowsDirectory)), variable: "URA_BOT")
        if case .flow(let name) = bot, flowFile(named: name, in: flowsDirectory) == nil {
            throw ConfigurationError(
                variable: "URA_BOT", problem: "names flow \"\(name)\", but \(flowsDirectory)/\(name).yaml does not exist",
                example: "URA_BOT=flow:clinica")
        }

        return Configuration(
            ari: ari,
            media: media,
            bot: bot,
            operatorAPI: operatorAPI,
            records: Records(
                path: reader.string("RECORDS_PATH", default: "ura-records.sqlite"),
                url: try reader.recordsURL(),
                retentionDays: try reader.integer("RECORDS_RETENTION_DAYS", default: 30, in: 1...3650)),
            logLevel: try reader.choice("LOG_LEVEL", default: .info),
            logFormat: try reader.choice("LOG_FORMAT", default: .auto),
            shutdown: Shutdown(
                drainSeconds: try reader.integer("SHUTDOWN_DRAIN_SECONDS", default: 30, in: 0...86_400),
                remainingCalls: try reader.choice("SHUTDOWN_REMAINING_CALLS", default: .continueInDialplan)),
            ai: try reader.aiProviders(bot: bot),
            providerFailure: try reader.providerFailure(),
            turnTaking: TurnTaking(
                endpointSilenceMilliseconds: try reader.integer("ENDPOINT_SILENCE_MS", default: 600, in: 200...5000),
                smartEndpointing: try reader.flag("SMART_ENDPOINTING", default: true),
                endpointSilenceMinimumMilliseconds: try reader.integer("ENDPOINT_SILENCE_MIN_MS", default: 300, in: 100...5000),
                endpointSilenceMaximumMilliseconds: try reader.integer("ENDPOINT_SILENCE_MAX_MS", default: 1500, in: 200...10_000),
                maximumUtteranceSeconds: try reader.integer("MAX_UTTERANCE_SECONDS", default: 20, in: 2...300),
                noInputTimeoutMilliseconds: try reader.integer("NO_INPUT_TIMEOUT_MS", default: 7000, in: 1000...120_000),
                noInputReprompts: try reader.integer("NO_INPUT_REPROMPTS", default: 2, in: 0...10),
                maximumCallSeconds: try reader.integer("MAX_CALL_SECONDS", default: 900, in: 10...86_400),
                bargeIn: try reader.flag("BARGE_IN", default: true),
                bargeInMinimumSpeechMilliseconds: try reader.integer("BARGE_IN_MIN_SPEECH_MS", default: 400, in: 60...5000),
                echoCancellation: try reader.flag("ECHO_CANCELLATION", default: false),
                backchannels: reader.list("BACKCHANNEL_WORDS")),
            flowsDirectory: flowsDirectory,
            transferAllow: try reader.transferPatterns(),
            maximumCalls: try reader.integer("MAX_CALLS", default: 100, in: 0...100_000),
            logTranscripts: try reader.flag("LOG_TRANSCRIPTS", default: false),
            webhook: try reader.webhook(),
            toolsFile: reader.value("TOOLS_FILE").flatMap { $0.isEmpty ? nil : $0 },
            recording: try reader.recording())
    }

    /// The shipped English example flow (in the repository and the container image), so a bare
    /// `ura serve` answers with a useful offline IVR; the loopback diagnostic where it is absent.
    public static let shippedFlow = "clinic-en"

    static func defaultBot(in flowsDirectory: String) -> String {
        flowFile(named: shippedFlow, in: flowsDirectory) != nil ? "flow:" + shippedFlow : "loopback"
    }

    /// The file of flow `name` in `directory` (`name.yaml`, else `name.yml`), if it exists.
    public static func flowFile(named name: String, in directory: String) -> String? {
        ["yaml", "yml"].map { "\(directory)/\(name).\($0)" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Only a literal loopback address: a name (`localhost`) resolves as /etc/hosts says, and other
    /// spellings (`127.0.0.2`, `::ffff:127.0.0.1`) are not what the API's peer check accepts.
    static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1"
    }

    /// The shortest `OPERATOR_TOKEN` accepted: 32 characters (`openssl rand -hex 16` gives exactly that).
    public static let minimumOperatorTokenLength = 32
}

extension Configuration.OperatorAPI {
    /// Reads only the operator API's settings, for clients of the API (`ura calls`) that need no ARI settings.
    /// - Throws: ``ConfigurationError`` for a bad `OPERATOR_LISTEN`, or a missing token off loopback.
    public static func load(environment: [String: String]) throws(ConfigurationError) -> Configuration.OperatorAPI {
        let reader = EnvironmentReader(environment)
        let (host, port) = try reader.hostPort("OPERATOR_LISTEN", default: "127.0.0.1:8080")
        let token = try reader.optionalSecret("OPERATOR_TOKEN")
        if token == nil, !Configuration.isLoopback(host) {
            throw ConfigurationError(
                variable: "OPERATOR_TOKEN", problem: "is required when OPERATOR_LISTEN (\(host):\(port)) is not 127.0.0.1 or [::1]",
                example: "OPERATOR_TOKEN=$(openssl rand -hex 32)")
        }
        if let token, token.reveal().count < Configuration.minimumOperatorTokenLength {
            throw ConfigurationError(
                variable: "OPERATOR_TOKEN",
                problem: "has \(token.reveal().count) characters; at least \(Configuration.minimumOperatorTokenLength) are needed",
                example: "OPERATOR_TOKEN=$(openssl rand -hex 32)")
        }
        var settings = Configuration.OperatorAPI(host: host, port: port, token: token)
        settings.tls = try reader.operatorTLS()
        settings.maximumEventStreams = try reader.integer("OPERATOR_MAX_EVENT_STREAMS", default: 32, in: 1...10_000)
        settings.originatesPerMinute = try reader.integer("OPERATOR_ORIGINATE_PER_MINUTE", default: 60, in: 1...60_000)
        settings.originateBurst = try reader.integer("OPERATOR_ORIGINATE_BURST", default: 10, in: 1...10_000)
        settings.advertiseURL = try reader.operatorAdvertiseURL()
        return settings
    }
}
