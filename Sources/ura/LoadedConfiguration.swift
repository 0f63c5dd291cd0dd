import Foundation
import Logging
import Settings
import StructuredLogging

extension ConfigurationOptions {
    /// The variables ura reads: the process environment over the `.env` file.
    static func environment(envFile: String) throws -> [String: String] {
        try DotEnv.load(path: envFile).merging(ProcessInfo.processInfo.environment) { _, process in process }
    }

    /// Reads the configuration, or prints its one-line problem and exits with status 2.
    func loadOrExit() -> Configuration {
        do {
            return try Configuration.load(environment: Self.environment(envFile: envFile))
        } catch {
            StandardErrorOutput().write(line: "ura: configuration error: \(error)\n")
            Foundation.exit(2)
        }
    }
}

extension ConfigurationOptions {
    /// Reads only the operator API settings, or prints the problem and exits with status 2.
    func operatorAPIOrExit() -> Configuration.OperatorAPI {
        do {
            return try Configuration.OperatorAPI.load(environment: Self.environment(envFile: envFile))
        } catch {
            StandardErrorOutput().write(line: "ura: configuration error: \(error)\n")
            Foundation.exit(2)
        }
    }
}

extension Configuration {
    /// Installs the log handlers this configuration asks for.
    func bootstrapLogging() {
        let style: LogStyle = switch logFormat {
        case .json: .json
        case .text: .text
        case .auto: StandardErrorOutput.isTerminal ? .text : .json
        }
        LoggingSystem.bootstrapURA(style: style, level: Logger.Level(rawValue: logLevel.rawValue) ?? .info)
    }
}
