import ArgumentParser

/// The `ura` command: a voice agent controller for Asterisk.
@main
struct URA: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ura",
        abstract: "A conversational voice agent for Asterisk, driven over ARI and externalMedia RTP.",
        discussion: """
            Configuration comes from environment variables, read over an optional .env file \
            (the environment wins). See README.md for every variable.
            """,
        version: version,
        subcommands: [Serve.self, Check.self, Demo.self, CallsCommand.self, Health.self],
        defaultSubcommand: nil
    )
}

/// Options every subcommand that reads the configuration shares.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .customLong("env-file"), help: ArgumentHelp("A .env file read under the environment; a missing file is fine.", valueName: "path"))
    var envFile = ".env"
}
