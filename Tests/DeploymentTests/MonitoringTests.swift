import Foundation
import Settings
import Telemetry
import Testing
import Yams

/// The monitoring profile: Prometheus scrapes ura where ura listens, Grafana shows only real metrics.
@Suite struct MonitoringTests {
    @Test func prometheusScrapesTheOperatorAPIsDefaultAddressWithTheToken() throws {
        let config = try #require(try Yams.load(yaml: Repository.text("deploy/prometheus/prometheus.yml")) as? [String: Any])
        let jobs = try #require(config["scrape_configs"] as? [[String: Any]])
        let ura = try #require(jobs.first { $0["job_name"] as? String == "ura" })
        #expect(ura["metrics_path"] as? String == "/metrics")
        let targets = (ura["static_configs"] as? [[String: Any]])?.flatMap { ($0["targets"] as? [String]) ?? [] } ?? []
        let defaults = try ShippedSettings.defaults().operatorAPI
        #expect(targets == ["\(defaults.host):\(defaults.port)"])
        let authorization = try #require(ura["authorization"] as? [String: Any])
        #expect(authorization["type"] as? String == "Bearer")
        // compose's entrypoint writes OPERATOR_TOKEN to this file.
        let file = try #require(authorization["credentials_file"] as? String)
        let entrypoint = try #require(try ComposeTests.service("prometheus")["entrypoint"] as? [String])
        #expect(entrypoint.joined(separator: " ").contains("> \(file)"))
    }

    @Test func grafanaProvisionsTheDashboardFolderComposeMounts() throws {
        let grafana = try ComposeTests.service("grafana")
        let volumes = (grafana["volumes"] as? [String]) ?? []
        let provider = try #require(try Yams.load(yaml: Repository.text("deploy/grafana/provisioning/dashboards/ura.yaml")) as? [String: Any])
        let path = try #require(((provider["providers"] as? [[String: Any]])?.first?["options"] as? [String: Any])?["path"] as? String)
        #expect(volumes.contains { $0.hasPrefix("./deploy/grafana/dashboards:\(path)") })
        for volume in volumes where volume.hasPrefix("./") {
            let source = String(volume.split(separator: ":")[0])
            #expect(FileManager.default.fileExists(atPath: Repository.url(source).path), "\(source) is missing")
        }
    }

    @Test func everyDashboardQueryUsesOnlyMetricsUraExports() throws {
        let data = Data(try Repository.text("deploy/grafana/dashboards/ura-dashboard.json").utf8)
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(!expressions.isEmpty)
        let histogramSuffixes = ["_bucket", "_count", "_sum"]
        var used: Set<String> = []
        for expression in expressions {
            for match in expression.matches(of: /ura_[a-z0-9_]+/) {
                var name = String(match.output)
                if let suffix = histogramSuffixes.first(where: { name.hasSuffix($0) }) { name.removeLast(suffix.count) }
                #expect(URAMetrics.Name.all.contains(name), "dashboard queries \(name), which ura does not export")
                used.insert(name)
            }
        }
        // The list: each metric is on the dashboard.
        #expect(used == Set(URAMetrics.Name.all), "not on the dashboard: \(Set(URAMetrics.Name.all).subtracting(used).sorted())")
    }
}
