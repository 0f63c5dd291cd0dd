import Foundation
import Testing
@testable import Settings

@Suite("Configuration")
struct ConfigurationTests {
    let minimal = ["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": "s3cret"]
    /// An operator token of the shortest accepted length, 32 characters.
    static let token = "0123456789abcdef0123456789abcdef"

    func load(_ extra: [String: String]) throws(ConfigurationError) -> Configuration {
        try Configuration.load(environment: minimal.merging(extra) { _, new in new })
    }

    func failure(_ extra: [String: String], without removed: [String] = []) -> ConfigurationError? {
        var environment = minimal.merging(extra) { _, new in new }
        for name in removed { environment[name] = nil }
        do {
            _ = try Configuration.load(environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsMatchTheShippedAsteriskConfig() throws {
        let config = try load([:])
        #expect(config.ari.urls[0].absoluteString == "http://127.0.0.1:8088")
        #expect(config.ari.username == "ura")
        #expect(config.ari.app == "ura")
        #expect(config.media.ports == 40000...40999)
        #expect(config.media.format == .ulaw)
        #expect(config.media.bindAddress == "0.0.0.0")
        #expect(config.media.advertiseAddresses == ["127.0.0.1"])
        let shipped = Configuration.flowFile(named: Configuration.shippedFlow, in: "flows") != nil
        #expect(config.bot == (shipped ? .flow(name: Configuration.shippedFlow) : .loopback))
        #expect(config.operatorAPI.host == "127.0.0.1" && config.operatorAPI.port == 8080)
        #expect(config.logLevel == .info && config.logFormat == .auto)
        #expect(config.shutdown.remainingCalls == .continueInDialplan)
        #expect(config.records.path == "ura-records.sqlite" && config.records.retentionDays == 30)
        #expect(config.providerFailure == .init(action: .apologize, threshold: 2))
        #expect(config.turnTaking == .init(
            endpointSilenceMilliseconds: 600, smartEndpointing: true, endpointSilenceMinimumMilliseconds: 300,
            endpointSilenceMaximumMilliseconds: 1500, maximumUtteranceSeconds: 20, noInputTimeoutMilliseconds: 7000, noInputReprompts: 2,
            maximumCallSeconds: 900, bargeIn: true, bargeInMinimumSpeechMilliseconds: 400, echoCancellation: false, backchannels: nil))
    }

    @Test func everyVariableIsRead() throws {
        let config = try load([
            "ARI_URL": "https://pbx.example.com:8089/asterisk/ari/", "ARI_USERNAME": "bot", "ARI_APP": "voice-bot",
            "MEDIA_BIND_ADDRESS": "10.0.0.5", "MEDIA_ADVERTISE_ADDRESS": "ura.internal",
            "RTP_PORT_START": "30000", "RTP_PORT_END": "30010", "MEDIA_FORMAT": "G722", "URA_BOT": "echo",
            "OPERATOR_LISTEN": "0.0.0.0:9000", "OPERATOR_TOKEN": Self.token, "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
            "JITTER_BUFFER_MS": "80", "LOOPBACK_DELAY_MS": "0", "SHUTDOWN_DRAIN_SECONDS": "5",
            "SHUTDOWN_REMAINING_CALLS": "hangup", "ARI_REQUEST_TIMEOUT_MS": "2000",
            "RECORDS_PATH": "/var/lib/ura/records.sqlite", "RECORDS_RETENTION_DAYS": "7",
            "URA_ON_PROVIDER_FAILURE": "transfer", "URA_FAILURE_TRANSFER_TO": "PJSIP/1001", "URA_FAILURE_THRESHOLD": "3",
            "ENDPOINT_SILENCE_MS": "800", "SMART_ENDPOINTING": "off", "ENDPOINT_SILENCE_MIN_MS": "250", "ENDPOINT_SILENCE_MAX_MS": "2000", "MAX_UTTERANCE_SECONDS": "30", "NO_INPUT_TIMEOUT_MS": "5000", "NO_INPUT_REPROMPTS": "1",
            "MAX_CALL_SECONDS": "3600", "BARGE_IN": "off", "BARGE_IN_MIN_SPEECH_MS": "600", "ECHO_CANCELLATION": "on", "BACKCHANNEL_WORDS": "Aham, tá bom ,ok,",
        ])
        #expect(config.ari.urls[0].absoluteString == "https://pbx.example.com:8089/asterisk")
        #expect(config.ari.username == "bot" && config.ari.app == "voice-bot")
        #expect(config.ari.password.reveal() == "s3cret")
        #expect(config.ari.requestTimeoutMilliseconds == 2000)
        #expect(config.media.bindAddress == "10.0.0.5" && config.media.advertiseAddresses == ["ura.internal"])
        #expect(config.media.ports == 30000...30010 && config.media.format == .g722)
        #expect(config.media.jitterBufferMilliseconds == 80 && config.media.loopbackDelayMilliseconds == 0)
        #expect(config.bot == .echo)
        #expect(config.operatorAPI.host == "0.0.0.0" && config.operatorAPI.port == 9000)
        #expect(config.operatorAPI.token?.reveal() == Self.token)
        #expect(config.logLevel == .debug && config.logFormat == .json)
        #expect(config.shutdown.drainSeconds == 5 && config.shutdown.remainingCalls == .hangup)
        #expect(config.records.path == "/var/lib/ura/records.sqlite" && config.records.retentionDays == 7)
        #expect(config.providerFailure == .init(action: .transfer(destination: .endpoint(technology: "PJSIP", resource: "1001")), threshold: 3))
        #expect(config.turnTaking == .init(
            endpointSilenceMilliseconds: 800, smartEndpointing: false, endpointSilenceMinimumMilliseconds: 250,
            endpointSilenceMaximumMilliseconds: 2000, maximumUtteranceSeconds: 30, noInputTimeoutMilliseconds: 5000, noInputReprompts: 1,
            maximumCallSeconds: 3600, bargeIn: false, bargeInMinimumSpeechMilliseconds: 600, echoCancellation: true,
            backchannels: ["aham", "tá bom", "ok"]))
    }

    @Test(arguments: [
        (["URA_ON_PROVIDER_FAILURE": "hangup"], ProviderFailureAction.hangUp),
        (["URA_ON_PROVIDER_FAILURE": "HangUp", "URA_FAILURE_TRANSFER_TO": "PJSIP/1001"], .hangUp),
        (["URA_ON_PROVIDER_FAILURE": "apologize", "URA_FAILURE_TRANSFER_TO": "PJSIP/1001"], .apologize),
        (["URA_ON_PROVIDER_FAILURE": "transfer", "URA_FAILURE_TRANSFER_TO": "PJSIP/reception@trunk"], .transfer(destination: .endpoint(technology: "PJSIP", resource: "reception@trunk"))),
        (["URA_ON_PROVIDER_FAILURE": "transfer", "URA_FAILURE_TRANSFER_TO": "100"], .transfer(destination: .dialplan(context: nil, extension: "100", priority: .number(1)))),
        (["URA_ON_PROVIDER_FAILURE": "transfer", "URA_FAILURE_TRANSFER_TO": "from-phones,100"], .transfer(destination: .dialplan(context: "from-phones", extension: "100", priority: .number(1)))),
        (["URA_ON_PROVIDER_FAILURE": "transfer", "URA_FAILURE_TRANSFER_TO": " from-phones,100,1 "], .transfer(destination: .dialplan(context: "from-phones", extension: "100", priority: .number(1)))),
    ])
    func providerFailureActions(extra: [String: String], action: ProviderFailureAction) throws {
        #expect(try load(extra).providerFailure.action == action)
    }

    @Test func transferWithoutADestinationSaysWhatIsMissing() {
        #expect(failure(["URA_ON_PROVIDER_FAILURE": "transfer"])?.description
            == "URA_FAILURE_TRANSFER_TO is missing and URA_ON_PROVIDER_FAILURE=transfer needs a destination (example: URA_FAILURE_TRANSFER_TO=PJSIP/1001)")
    }

    @Test func severalAsteriskServersEachWithItsOwnMediaAddress() throws {
        let config = try load([
            "ARI_URL": "http://pbx-a:8088, https://pbx-b.example.com:8089/ari/", "MEDIA_ADVERTISE_ADDRESS": "10.0.0.5 10.1.0.5",
        ])
        #expect(config.ari.urls.map(\.absoluteString) == ["http://pbx-a:8088", "https://pbx-b.example.com:8089"])
        #expect(config.media.advertiseAddress(server: 0) == "10.0.0.5" && config.media.advertiseAddress(server: 1) == "10.1.0.5")
        let shared = try load(["ARI_URL": "http://pbx-a:8088 http://pbx-b:8088", "MEDIA_ADVERTISE_ADDRESS": "10.0.0.5"])
        #expect(shared.media.advertiseAddress(server: 1) == "10.0.0.5")
        #expect(failure(["ARI_URL": "http://pbx-a:8088 http://pbx-a:8088/"])?.description.contains("twice") == true)
        #expect(failure(["ARI_URL": "http://pbx-a:8088 ftp://pbx-b"])?.variable == "ARI_URL")
        #expect(failure(["ARI_URL": " , "])?.variable == "ARI_URL")
        let mismatch = failure(["ARI_URL": "http://a:8088 http://b:8088 http://c:8088", "MEDIA_ADVERTISE_ADDRESS": "10.0.0.5 10.1.0.5"])
        #expect(mismatch?.description.contains("2 addresses for 3") == true)
    }

    @Test func webhooksNeedASecretAndAnHTTPURL() throws {
        #expect(try load([:]).webhook == nil)
        let webhook = try #require(try load([
            "WEBHOOK_URL": "https://crm.example.com/ura", "WEBHOOK_SECRET": "0123456789abcdef", "WEBHOOK_TURNS": "on",
        ]).webhook)
        #expect(webhook.url.absoluteString == "https://crm.example.com/ura" && webhook.turns)
        #expect(failure(["WEBHOOK_URL": "https://crm.example.com/ura"])?.variable == "WEBHOOK_SECRET", "unsigned webhooks are refused")
        #expect(failure(["WEBHOOK_URL": "https://crm.example.com/ura", "WEBHOOK_SECRET": "short"])?.variable == "WEBHOOK_SECRET")
        #expect(failure(["WEBHOOK_URL": "ftp://crm", "WEBHOOK_SECRET": "0123456789abcdef"])?.variable == "WEBHOOK_URL")
        #expect(failure(["WEBHOOK_URL": "https://u:p@crm/x", "WEBHOOK_SECRET": "0123456789abcdef"])?.variable == "WEBHOOK_URL")
        let tooShort = failure(["WEBHOOK_URL": "https://crm/x", "WEBHOOK_SECRET": "short-secret-1"])
        #expect(tooShort != nil && tooShort?.description.contains("short-secret-1") == false, "the secret is never echoed")
    }

    @Test func aFleetSharesItsRecordsThroughPostgreSQL() throws {
        let config = try load([
            "RECORDS_URL": "postgresql://ura:pw@db.internal/ura?sslmode=require", "OPERATOR_ADVERTISE_URL": "http://10.0.0.7:8080",
        ])
        #expect(config.records.url?.reveal() == "postgresql://ura:pw@db.internal/ura?sslmode=require")
        #expect(config.operatorAPI.advertiseURL?.absoluteString == "http://10.0.0.7:8080")
        #expect(try load([:]).records.url == nil && load([:]).operatorAPI.advertiseURL == nil)
        let sqlite = failure(["RECORDS_URL": "sqlite:///var/lib/ura/records.sqlite"])
        #expect(sqlite?.variable == "RECORDS_URL" && sqlite?.description.contains("RECORDS_PATH") == true)
        for bad in ["10.0.0.7:8080", "http://op:pw@10.0.0.7:8080", "http://10.0.0.7:8080/?token=x", "ftp://10.0.0.7"] {
            #expect(failure(["OPERATOR_ADVERTISE_URL": bad])?.variable == "OPERATOR_ADVERTISE_URL", "\(bad)")
        }
    }

    @Test func recordingIsOffUnlessAsked() throws {
        #expect(try load([:]).recording == .init(mode: .off, directory: "recordings"))
        #expect(try load(["RECORDING": "Both", "RECORDINGS_DIR": "/var/lib/ura/rec"]).recording == .init(mode: .both, directory: "/var/lib/ura/rec"))
        let noticed = try load(["RECORDING": "caller", "RECORDING_NOTICE": "sound:custom/call-recorded, tone:beep"]).recording
        #expect(noticed.notice == ["sound:custom/call-recorded", "tone:beep"])
        #expect(failure(["RECORDING_NOTICE": "/etc/passwd"])?.variable == "RECORDING_NOTICE")
        #expect(failure(["RECORDING_NOTICE": "sound:a b"])?.variable == "RECORDING_NOTICE")
        let bad = failure(["RECORDING": "yes"])
        #expect(bad?.variable == "RECORDING" && bad?.description.contains("off, caller, both") == true, "\(String(describing: bad))")
    }

    @Test func advertiseFollowsASpecificBindAddress() throws {
        #expect(try load(["MEDIA_BIND_ADDRESS": "192.0.2.7"]).media.advertiseAddresses == ["192.0.2.7"])
        #expect(try load(["MEDIA_BIND_ADDRESS": "::"]).media.advertiseAddresses == ["::1"])
    }

    @Test(arguments: [
        (["RTP_PORT_START": "5000", "RTP_PORT_END": "4000"], "RTP_PORT_START"),
        (["RTP_PORT_START": "80"], "RTP_PORT_START"),
        (["RTP_PORT_END": "70000"], "RTP_PORT_END"),
        (["RTP_PORT_END": "forty"], "RTP_PORT_END"),
        (["ARI_URL": "127.0.0.1:8088"], "ARI_URL"),
        (["ARI_URL": "localhost:8088"], "ARI_URL"),
        (["ARI_URL": "ws://127.0.0.1:8088"], "ARI_URL"),
        (["ARI_URL": "http://"], "ARI_URL"),
        (["ARI_URL": "http://user:pw@host:8088"], "ARI_URL"),
        (["ARI_APP": "ura,other"], "ARI_APP"),
        (["MEDIA_FORMAT": "opus"], "MEDIA_FORMAT"),
        (["RECORDS_RETENTION_DAYS": "0"], "RECORDS_RETENTION_DAYS"),
        (["RECORDS_RETENTION_DAYS": "a month"], "RECORDS_RETENTION_DAYS"),
        (["MEDIA_FORMAT": "slin16"], "MEDIA_FORMAT"),
        (["MEDIA_BIND_ADDRESS": "my-host"], "MEDIA_BIND_ADDRESS"),
        (["MEDIA_ADVERTISE_ADDRESS": "0.0.0.0"], "MEDIA_ADVERTISE_ADDRESS"),
        (["MEDIA_ADVERTISE_ADDRESS": "bad host!"], "MEDIA_ADVERTISE_ADDRESS"),
        (["URA_BOT": "parrot"], "URA_BOT"),
        (["URA_BOT": "flow:"], "URA_BOT"),
        (["URA_BOT": "flow:/no/such/flow.yaml"], "URA_BOT"),
        (["URA_BOT": "flow:no-such-flow"], "URA_BOT"),
        (["URA_BOT": "flow:../flows/clinica"], "URA_BOT"),
        (["URA_FAILURE_TRANSFER_TO": ","], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "PJSIP/1001&PJSIP/900"], "URA_FAILURE_TRANSFER_TO"),
        (["TRANSFER_ALLOW": "PJSIP/1*,|x"], "TRANSFER_ALLOW"),
        (["MAX_CALLS": "-1"], "MAX_CALLS"),
        (["LOG_TRANSCRIPTS": "maybe"], "LOG_TRANSCRIPTS"),
        (["OPERATOR_LISTEN": "8080"], "OPERATOR_LISTEN"),
        (["OPERATOR_LISTEN": "0.0.0.0:8080"], "OPERATOR_TOKEN"),
        (["OPERATOR_LISTEN": "localhost:8080"], "OPERATOR_TOKEN"),
        (["OPERATOR_LISTEN": "127.0.0.2:8080"], "OPERATOR_TOKEN"),
        (["OPERATOR_LISTEN": "[::ffff:127.0.0.1]:8080"], "OPERATOR_TOKEN"),
        (["OPERATOR_LISTEN": "[::]:8080"], "OPERATOR_TOKEN"),
        (["OPERATOR_TOKEN": "0123456789abcdef0123456789abcde"], "OPERATOR_TOKEN"),
        (["OPERATOR_LISTEN": "0.0.0.0:8080", "OPERATOR_TOKEN": "tok"], "OPERATOR_TOKEN"),
        (["OPERATOR_TLS_CERT": "/etc/passwd"], "OPERATOR_TLS_KEY"),
        (["OPERATOR_TLS_KEY": "/etc/passwd"], "OPERATOR_TLS_CERT"),
        (["OPERATOR_TLS_CERT": "/no/such/cert.pem", "OPERATOR_TLS_KEY": "/etc/passwd"], "OPERATOR_TLS_CERT"),
        (["OPERATOR_MAX_EVENT_STREAMS": "0"], "OPERATOR_MAX_EVENT_STREAMS"),
        (["OPERATOR_ORIGINATE_PER_MINUTE": "lots"], "OPERATOR_ORIGINATE_PER_MINUTE"),
        (["OPERATOR_ORIGINATE_BURST": "0"], "OPERATOR_ORIGINATE_BURST"),
        (["LOG_LEVEL": "verbose"], "LOG_LEVEL"),
        (["LOG_FORMAT": "xml"], "LOG_FORMAT"),
        (["JITTER_BUFFER_MS": "5"], "JITTER_BUFFER_MS"),
        (["SHUTDOWN_REMAINING_CALLS": "drop"], "SHUTDOWN_REMAINING_CALLS"),
        (["URA_ON_PROVIDER_FAILURE": "retry"], "URA_ON_PROVIDER_FAILURE"),
        (["URA_ON_PROVIDER_FAILURE": "transfer"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_THRESHOLD": "0"], "URA_FAILURE_THRESHOLD"),
        (["ENDPOINT_SILENCE_MS": "50"], "ENDPOINT_SILENCE_MS"),
        (["BARGE_IN": "sometimes"], "BARGE_IN"),
        (["MAX_CALL_SECONDS": "forever"], "MAX_CALL_SECONDS"),
        (["NO_INPUT_REPROMPTS": "-1"], "NO_INPUT_REPROMPTS"),
        (["URA_FAILURE_THRESHOLD": "twice"], "URA_FAILURE_THRESHOLD"),
        (["URA_FAILURE_TRANSFER_TO": "PJSIP/"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "/1001"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "PJSIP/1001,30"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "from-phones,100,0"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "a,b,1,2"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "from-phones,,1"], "URA_FAILURE_TRANSFER_TO"),
        (["URA_FAILURE_TRANSFER_TO": "sales desk"], "URA_FAILURE_TRANSFER_TO"),
    ])
    func badValueNamesItsVariable(extra: [String: String], variable: String) throws {
        let error = try #require(failure(extra))
        #expect(error.variable == variable)
        #expect(error.description.contains("example: "))
        #expect(!error.description.contains("\n"))
    }

    @Test(arguments: ["127.0.0.1:8080", "[::1]:8080"])
    func onlyALiteralLoopbackListenNeedsNoToken(listen: String) throws {
        let config = try load(["OPERATOR_LISTEN": listen])
        #expect(config.operatorAPI.token == nil)
    }

    @Test func operatorHardeningSettingsAreRead() throws {
        let config = try load([
            "OPERATOR_TOKEN": Self.token, "OPERATOR_TLS_CERT": "/etc/passwd", "OPERATOR_TLS_KEY": "/etc/passwd",
            "OPERATOR_MAX_EVENT_STREAMS": "4", "OPERATOR_ORIGINATE_PER_MINUTE": "6", "OPERATOR_ORIGINATE_BURST": "2",
        ])
        #expect(config.operatorAPI.tls == .init(certificatePath: "/etc/passwd", privateKeyPath: "/etc/passwd"))
        #expect(config.operatorAPI.maximumEventStreams == 4)
        #expect(config.operatorAPI.originatesPerMinute == 6 && config.operatorAPI.originateBurst == 2)
        let defaults = try load([:]).operatorAPI
        #expect(defaults.tls == nil && defaults.maximumEventStreams == 32)
        #expect(defaults.originatesPerMinute == 60 && defaults.originateBurst == 10)
    }

    @Test func aShortTokenIsOneLineThatNeverShowsIt() throws {
        let error = try #require(failure(["OPERATOR_TOKEN": "hunter2-short"]))
        #expect(error.description == "OPERATOR_TOKEN has 13 characters; at least 32 are needed (example: OPERATOR_TOKEN=$(openssl rand -hex 32))")
    }

    @Test func missingRequiredValues() throws {
        #expect(failure([:], without: ["ARI_PASSWORD"])?.description == "ARI_PASSWORD is missing (example: ARI_PASSWORD=<password of the ari.conf user>)")
        #expect(failure([:], without: ["ARI_URL"])?.variable == "ARI_URL")
        #expect(failure(["ARI_PASSWORD": ""])?.variable == "ARI_PASSWORD")
    }

    @Test func secretsNeverShowInDescriptions() throws {
        let config = try load(["ARI_PASSWORD": "hunter2", "OPERATOR_TOKEN": "tok-42-" + Self.token])
        var dumped = ""
        dump(config, to: &dumped)
        #expect(!"\(config)".contains("hunter2"))
        #expect(!dumped.contains("hunter2") && !dumped.contains("tok-42"))
        #expect(failure(["ARI_PASSWORD": "hunter2", "RTP_PORT_END": "1"]).map { !$0.description.contains("hunter2") } == true)
    }
}

@Suite struct InstanceNameTests {
    static func load(_ environment: [String: String]) throws -> Configuration {
        try Configuration.load(environment: ["ARI_URL": "http://127.0.0.1:8088", "ARI_PASSWORD": "x"].merging(environment) { $1 })
    }

    @Test func theInstanceNameIsReadAndChecked() throws {
        #expect(try Self.load([:]).ari.instance == nil)
        #expect(try Self.load(["URA_INSTANCE": "ura-1"]).ari.instance == "ura-1")
        for bad in ["URA", "a.b", "ura 1", "---", String(repeating: "a", count: 41)] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try Self.load(["URA_INSTANCE": bad]) }
        }
    }
}
