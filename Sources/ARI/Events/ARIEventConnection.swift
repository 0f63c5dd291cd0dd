import Foundation
import WebSocket

/// The ARI events socket of one or more Stasis applications, kept connected forever.
///
/// Wraps a ``WebSocket/WebSocketClient`` on `/ari/events?app=…` with Basic authentication
/// (in a header, so the password never sits in a URL or a log line). Frames are decoded by
/// whoever iterates ``elements``, never on the socket's thread, so a slow consumer can never
/// make Asterisk drop the socket for missing its 100 ms write deadline; the socket's buffer
/// takes the slack.
///
/// After every ``Element/connected`` the consumer must reconcile its state with ARI's REST
/// listing: events raised while the socket was down are lost (Asterisk does not replay them).
public final class ARIEventConnection: Sendable {
    /// What the connection reports, in order.
    public enum Element: Sendable {
        /// The socket is open and the applications are registered.
        case connected
        /// One decoded event.
        case event(ARIEnvelope)
        /// A frame that is not a valid ARI event (counted and logged by the consumer).
        case undecodable(ARIDecodingError, bytes: Int)
        /// The socket closed or could not be opened.
        case disconnected(reason: String)
        /// The next attempt comes after `delay`.
        case reconnecting(attempt: Int, delay: Duration)
    }

    private let client: WebSocketClient

    /// - Parameters:
    ///   - baseURL: Asterisk's HTTP base (`ARI_URL`), `http`/`https` with any `http.conf` prefix.
    ///   - applications: the Stasis applications to register on this socket.
    ///   - username: the ARI user.
    ///   - password: the ARI user's password.
    ///   - configuration: timing of pings, idle detection and reconnects.
    public init(
        baseURL: URL, applications: [String], username: String, password: String,
        configuration: WebSocketConfiguration? = nil
    ) {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.scheme = components.scheme?.lowercased() == "https" ? "wss" : "ws"
        components.percentEncodedPath = (components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath) + "/ari/events"
        // One `app` parameter holding a comma list: Asterisk reads only the first `app=`.
        let apps = applications.map { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=,+"))) ?? $0 }
        components.percentEncodedQuery = "app=" + apps.joined(separator: ",")
        let credentials = Data("\(username):\(password)".utf8).base64EncodedString()
        var settings = configuration ?? WebSocketConfiguration(url: components.url!)
        settings.url = components.url!
        settings.headers.append(("Authorization", "Basic \(credentials)"))
        client = WebSocketClient(configuration: settings)
    }

    /// Connection reports and events. Iterate from one task; ends after ``stop()``.
    public var elements: AsyncMapSequence<AsyncStream<WebSocketEvent>, Element> {
        client.events.map { (event: WebSocketEvent) -> Element in
            switch event {
            case .connected: return .connected
            case .disconnected(let reason): return .disconnected(reason: reason)
            case .reconnecting(let attempt, let delay): return .reconnecting(attempt: attempt, delay: delay)
            case .text(let data), .binary(let data):
                do throws(ARIDecodingError) {
                    return .event(try ARIEnvelope.decode(from: data))
                } catch {
                    return .undecodable(error, bytes: data.count)
                }
            }
        }
    }

    /// Starts connecting on the socket's own thread.
    public func start() { client.start(threadName: "ura-ari-events") }

    /// Closes the socket and stops reconnecting; ``elements`` then ends.
    public func stop() async { await client.stop() }
}
