import CWebSockets
import Logging

/// Routes libwebsockets' own log lines into swift-log, so JSON logs stay JSON.
enum LWSLog {
    private static let logger = Logger(label: "ura.websocket.lws")

    static func install() {
        _ = installed
    }

    private static let installed: Void = {
        lws_set_log_level(cws_log_errors_only(), { level, line in
            guard let line else { return }
            let text = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines)
            LWSLog.logger.warning("\(text)")
        })
    }()
}
