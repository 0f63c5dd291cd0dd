import ARI
import Calls
import HTTP
import Logging
import Media
import Settings

/// Builds ura's parts from the configuration; shared by `serve`, `check` and `demo`.
extension Configuration {
    func makeARIClient(http: HTTPClient, logger: Logger) -> ARIClient {
        ARIClient(
            configuration: .init(
                url: ari.url, username: ari.username, password: ari.password.reveal(),
                requestTimeout: .milliseconds(ari.requestTimeoutMilliseconds)),
            httpClient: http, logger: logger)
    }

    func makeEventConnection() -> ARIEventConnection {
        ARIEventConnection(baseURL: ari.url, applications: [ari.app], username: ari.username, password: ari.password.reveal())
    }

    func makeMediaEngine() throws -> MediaEngine {
        try MediaEngine(bindAddress: media.bindAddress, ports: media.ports)
    }

    var callSettings: CallSession.Settings {
        CallSession.Settings(
            application: ari.app, format: AudioFormat(rawValue: media.format.rawValue) ?? .ulaw,
            advertiseAddress: media.advertiseAddress, jitterWindow: .milliseconds(media.jitterBufferMilliseconds),
            defaultBot: bot)
    }

    var shutdownSettings: CallService.Shutdown {
        CallService.Shutdown(drain: .seconds(shutdown.drainSeconds), remainingCalls: shutdown.remainingCalls)
    }
}
