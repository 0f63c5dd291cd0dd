import CallRecords
import Foundation
import OperatorAPI
import Prometheus
import Testing

/// The OpenAPI document and the router describe the same API.
@Suite struct OpenAPICoverageTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    static func documentedRoutes() throws -> Set<String> {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var routes: Set<String> = []
        for (path, item) in paths {
            for method in item.keys where methods.contains(method) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }

    static func registeredRoutes() throws -> Set<String> {
        let dependencies = OperatorDependencies(
            control: FakeCallControl(), records: try SQLiteCallRecordStore(path: ":memory:"), events: CallEventHub(),
            readiness: FakeReadiness(), metrics: PrometheusCollectorRegistry())
        let router = OperatorRoutes.router(dependencies, token: "t")
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let documented = try Self.documentedRoutes()
        let registered = try Self.registeredRoutes()
        #expect(registered.count >= 12)
        #expect(registered.subtracting(documented).isEmpty, "routes missing from the document: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented routes the server lacks: \(documented.subtracting(registered).sorted())")
    }

    @Test func everyReferenceInTheDocumentResolves() throws {
        let text = OpenAPIDocument.json
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let references = text.matches(of: /"\$ref": "#\/([^"]+)"/).map { String($0.output.1) }
        #expect(!references.isEmpty)
        for reference in Set(references) {
            var node: Any? = document
            for part in reference.split(separator: "/") {
                node = (node as? [String: Any])?[String(part)]
            }
            #expect(node != nil, "#/\(reference) does not resolve")
        }
    }

    @Test func theServerServesTheDocument() async throws {
        try await TestServer.with { server in
            let response = try await server.request(.get, "/openapi.json")
            #expect(response.status == 200)
            #expect(response.text == OpenAPIDocument.json)
        }
    }
}
