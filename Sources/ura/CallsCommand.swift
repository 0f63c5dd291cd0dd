import ArgumentParser
import OperatorAPI

/// `ura calls`: see and steer the calls a running ura handles, through its operator API.
struct CallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "List, show, watch and hang up calls through a running ura's operator API.",
        discussion: """
            Talks to the operator API at OPERATOR_LISTEN with OPERATOR_TOKEN, read like `ura serve` reads them. \
            Exits 0 on success, 1 when the API cannot be reached or refuses, 2 on a configuration error, \
            3 when the call does not exist.
            """,
        subcommands: [CallsList.self, CallsShow.self, CallsHangup.self, CallsWatch.self]
    )
}

/// `ura calls list`.
struct CallsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Active and recent calls, newest first.")

    @OptionGroup var options: ConfigurationOptions
    @Option(help: "active, recent or all.") var state = "all"
    @Option(help: "Only calls that ended this way (completed, caller_hangup, transferred, failed, …).") var outcome: String?
    @Option(help: "Only calls from this number.") var caller: String?
    @Option(help: "At most this many calls (1–500).") var limit = 50
    @Flag(help: "Print the API's JSON instead of a table.") var json = false

    func run() async throws {
        var query = [("state", state), ("limit", String(limit))]
        if let outcome { query.append(("outcome", outcome)) }
        if let caller { query.append(("caller", caller)) }
        let client = OperatorAPIClient(settings: options.operatorAPIOrExit())
        defer { client.shutdown() }
        let body = try await client.send(.get, "/v1/calls", query: query)
        if json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        print(CallTable.list(try client.decode(CallList.self, from: body).calls))
    }
}

/// `ura calls show ID`.
struct CallsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One call: caller, timeline, turns with latencies, RTP statistics and cost.")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "The call's id, as `ura calls list` shows it.") var id: String
    @Flag(help: "Print the API's JSON instead of text.") var json = false

    func run() async throws {
        let client = OperatorAPIClient(settings: options.operatorAPIOrExit())
        defer { client.shutdown() }
        let body = try await client.send(.get, "/v1/calls/\(OperatorAPIClient.pathSegment(id))")
        if json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        print(CallTable.detail(try client.decode(CallDetail.self, from: body)))
    }
}

/// `ura calls hangup ID`.
struct CallsHangup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hangup", abstract: "Hang a call up.")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "The call's id.") var id: String

    func run() async throws {
        let client = OperatorAPIClient(settings: options.operatorAPIOrExit())
        defer { client.shutdown() }
        _ = try await client.send(.delete, "/v1/calls/\(OperatorAPIClient.pathSegment(id))")
        print("hanging up \(id)")
    }
}
