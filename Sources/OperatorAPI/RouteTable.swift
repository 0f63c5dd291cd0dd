import Hummingbird

/// The API's paths and the methods each accepts, to answer a wrong method with 405 and `Allow`.
///
/// Hummingbird's router answers 404 for a known path with an unknown method; HTTP says 405.
struct RouteTable: Sendable {
    private let routes: [(method: String, components: [String])]

    init(_ descriptions: [Router<OperatorRequestContext>.RouteDescription]) {
        routes = descriptions.map { ($0.method.rawValue, $0.path.description.split(separator: "/").map(String.init)) }
    }

    /// The methods routes on `path` accept; empty when no route has this path.
    func methods(for path: String) -> [String] {
        let components = path.split(separator: "/").map(String.init)
        let matching = routes.filter { route in
            route.components.count == components.count
                && zip(route.components, components).allSatisfy { pattern, component in pattern.hasPrefix("{") || pattern == component }
        }
        return Array(Set(matching.map(\.method))).sorted()
    }
}
