import Foundation

/// The C strings an lws connect needs, allocated once and kept for the client's lifetime
/// (lws may read them after `lws_client_connect_via_info` returns, on reconnects too).
final class ConnectStrings {
    let address: UnsafeMutablePointer<CChar>
    let path: UnsafeMutablePointer<CChar>
    let hostHeader: UnsafeMutablePointer<CChar>
    let subprotocol: UnsafeMutablePointer<CChar>?
    let localProtocol: UnsafeMutablePointer<CChar>
    let port: Int32
    let useTLS: Bool
    /// `host:port/path` without the query, which may carry credentials (`api_key`).
    let display: String

    init(configuration: WebSocketConfiguration) {
        let url = configuration.url
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        useTLS = url.scheme?.lowercased() == "wss"
        let host = components?.host ?? "127.0.0.1"
        port = Int32(components?.port ?? (useTLS ? 443 : 80))
        var pathAndQuery = components?.percentEncodedPath ?? "/"
        if pathAndQuery.isEmpty { pathAndQuery = "/" }
        let bare = pathAndQuery
        if let query = components?.percentEncodedQuery { pathAndQuery += "?" + query }
        address = strdup(host)
        path = strdup(pathAndQuery)
        hostHeader = strdup(components?.port.map { "\(host):\($0)" } ?? host)
        subprotocol = configuration.subprotocol.map { strdup($0) }
        localProtocol = strdup("ura-websocket")
        display = "\(host):\(port)\(bare)"
    }

    deinit {
        free(address)
        free(path)
        free(hostHeader)
        free(subprotocol)
        free(localProtocol)
    }
}
