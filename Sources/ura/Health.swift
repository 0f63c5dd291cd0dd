import ArgumentParser

/// `ura health`: asks a running ura whether it is live or ready, for container probes.
///
/// Readiness needs the operator token, which a Kubernetes `httpGet` probe cannot take from a
/// Secret; an `exec` probe running this command reads it from the environment like `ura serve`.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a running ura (OPERATOR_LISTEN, OPERATOR_TOKEN) whether it is live or ready to take calls.",
        discussion: """
            Exits 0 when GET /health/live (or /health/ready with --ready) answers 200, 1 otherwise \
            (not ready, draining, or unreachable), 2 on a configuration error.
            """
    )

    @OptionGroup var options: ConfigurationOptions
    @Flag(help: "Ask for readiness (ARI connected, Asterisk answering, not draining) instead of liveness.") var ready = false

    func run() async throws {
        let client = OperatorAPIClient(settings: options.operatorAPIOrExit())
        defer { client.shutdown() }
        _ = try await client.send(.get, ready ? "/health/ready" : "/health/live")
    }
}
