import Foundation
import Settings
import Testing
import Yams

/// deploy/kubernetes/ura.yaml and deploy/compose/fleet.yaml: several instances sharing one
/// Asterisk must get distinct applications that the dialplan's StasisBroadcast filter matches,
/// time to drain, and settings ura reads and accepts.
@Suite struct FleetDeploymentTests {
    struct Missing: Error, CustomStringConvertible {
        let what: String
        var description: String { "missing \(what)" }
    }

    static func kubernetes() throws -> [[String: Any]] {
        try Yams.load_all(yaml: Repository.text("deploy/kubernetes/ura.yaml")).compactMap { $0 as? [String: Any] }
    }

    static func object(kind: String) throws -> [String: Any] {
        guard let object = try kubernetes().first(where: { $0["kind"] as? String == kind }) else { throw Missing(what: kind) }
        return object
    }

    static func map(_ value: Any?, _ path: String...) throws -> [String: Any] {
        var current = value
        for key in path { current = (current as? [String: Any])?[key] }
        guard let found = current as? [String: Any] else { throw Missing(what: path.joined(separator: ".")) }
        return found
    }

    /// The StasisBroadcast filter of the shipped dialplan, as a regular expression.
    static func broadcastFilter() throws -> Regex<AnyRegexOutput> {
        let dialplan = try Dialplan(Repository.asteriskConfig("extensions.conf"))
        guard let step = dialplan.steps.first(where: { $0.application == "StasisBroadcast" }), step.argumentList.count >= 2 else {
            throw Missing(what: "StasisBroadcast in extensions.conf")
        }
        return try Regex(step.argumentList[1])
    }

    static var drainSeconds: Int {
        get throws { Int(try map(object(kind: "ConfigMap"), "data")["SHUTDOWN_DRAIN_SECONDS"] as? String ?? "") ?? 30 }
    }

    /// The pod's environment as ura would see it: the ConfigMap, the Secret, then `env:` with
    /// `$(NAME)` references and field references filled in for a pod named `pod`.
    static func podEnvironment(pod: String, hostIP: String) throws -> [String: String] {
        var environment: [String: String] = [:]
        for (name, value) in try map(object(kind: "ConfigMap"), "data") { environment[name] = value as? String }
        for (name, value) in try map(object(kind: "Secret"), "stringData") { environment[name] = value as? String }
        let container = try #require((try map(object(kind: "Deployment"), "spec", "template", "spec")["containers"] as? [[String: Any]])?.first)
        for variable in container["env"] as? [[String: Any]] ?? [] {
            let name = try #require(variable["name"] as? String)
            if let path = try? map(variable, "valueFrom", "fieldRef")["fieldPath"] as? String {
                environment[name] = ["metadata.name": pod, "status.hostIP": hostIP][path]
            } else if var value = variable["value"] as? String {
                for (known, knownValue) in environment { value = value.replacingOccurrences(of: "$(\(known))", with: knownValue) }
                environment[name] = value
            }
        }
        return environment
    }

    @Test func kubernetesPodsEachGetAnApplicationTheDialplanOffersCallsTo() throws {
        let deployment = try Self.object(kind: "Deployment")
        let name = try #require(try Self.map(deployment, "metadata")["name"] as? String)
        #expect((try Self.map(deployment, "spec")["replicas"] as? Int ?? 0) >= 2)
        // Pods are named <deployment>-<hash>-<id>.
        let environment = try Self.podEnvironment(pod: "\(name)-6d5f7c9b8-x2x7q", hostIP: "10.0.3.7")
        let configuration = try Configuration.load(environment: environment)
        #expect(configuration.ari.app == "\(name)-6d5f7c9b8-x2x7q", "one application per pod")
        #expect(configuration.ari.app.firstMatch(of: try Self.broadcastFilter()) != nil, "the dialplan's filter offers calls to \(configuration.ari.app)")
        #expect(configuration.media.advertiseAddresses == ["10.0.3.7"], "Asterisk sends RTP to the pod's node")
        #expect(configuration.ari.peerGraceSeconds > 0)
        let known = try KnownVariables.names()
        for variable in environment.keys where !["POD_NAME", "HOST_IP"].contains(variable) {
            #expect(known.contains(variable), "ura.yaml sets \(variable), which ura does not read")
        }
    }

    @Test func kubernetesPodsRunOnTheHostNetworkOnePerNodeAndHaveTimeToDrain() throws {
        let pod = try Self.map(try Self.object(kind: "Deployment"), "spec", "template", "spec")
        #expect(pod["hostNetwork"] as? Bool == true, "RTP needs the node's network")
        #expect(pod["dnsPolicy"] as? String == "ClusterFirstWithHostNet")
        let grace = try #require(pod["terminationGracePeriodSeconds"] as? Int)
        #expect(grace >= (try Self.drainSeconds) + 15, "the drain and its cleanup fit before SIGKILL")
        let antiAffinity = try Self.map(pod, "affinity", "podAntiAffinity")
        let terms = try #require(antiAffinity["requiredDuringSchedulingIgnoredDuringExecution"] as? [[String: Any]])
        #expect(terms.contains { $0["topologyKey"] as? String == "kubernetes.io/hostname" }, "two pods on one node would share ports")
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let readiness = try Self.map(container, "readinessProbe", "exec")["command"] as? [String]
        #expect(readiness == ["ura", "health", "--ready"])
        #expect(try Self.map(container, "livenessProbe", "exec")["command"] as? [String] == ["ura", "health"])
    }

    @Test func theDisruptionBudgetKeepsAnInstanceAndSelectsThePods() throws {
        let budget = try Self.object(kind: "PodDisruptionBudget")
        let spec = try Self.map(budget, "spec")
        #expect((spec["minAvailable"] as? Int ?? 0) >= 1)
        let selector = try Self.map(spec, "selector", "matchLabels") as? [String: String]
        let labels = try Self.map(try Self.object(kind: "Deployment"), "spec", "template", "metadata", "labels") as? [String: String]
        #expect(selector != nil && selector == labels)
    }

    @Test func composeFleetRunsTwoInstancesWithOneRecordStore() throws {
        let root = try #require(try Yams.load(yaml: Repository.text("deploy/compose/fleet.yaml")) as? [String: Any])
        let services = try Self.map(root, "services")
        #expect(services["postgres"] != nil && services["asterisk"] != nil)
        let instances = services.keys.filter { $0.hasPrefix("ura-") }.sorted()
        #expect(instances == ["ura-1", "ura-2"])
        var base = try ShippedSettings.envExample()
        base["OPERATOR_TOKEN"] = String(repeating: "t", count: 32)
        var configurations: [Configuration] = []
        for instance in instances {
            let service = try Self.map(services, instance)
            #expect(service["network_mode"] as? String == "host")
            #expect(service["stop_grace_period"] as? String == "45s")
            var environment = base
            for (name, value) in try Self.map(service, "environment") {
                environment[name] = "\(value)".hasPrefix("${") ? base[name] : "\(value)"
            }
            configurations.append(try Configuration.load(environment: environment))
        }
        let filter = try Self.broadcastFilter()
        #expect(configurations.allSatisfy { $0.ari.app.firstMatch(of: filter) != nil })
        #expect(Set(configurations.map(\.ari.app)).count == 2, "one application each")
        #expect(!configurations[0].media.ports.overlaps(configurations[1].media.ports), "host network: RTP ranges apart")
        #expect(configurations[0].operatorAPI.port != configurations[1].operatorAPI.port)
    }
}
