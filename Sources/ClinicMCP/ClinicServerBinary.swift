import Foundation

/// Where the clinic's stdio server (`ClinicMCPServer`) was built.
public enum ClinicServerBinary {
    public struct NotBuilt: Error, CustomStringConvertible {
        public var description: String { "no ClinicMCPServer binary beside the tests; build it (swift build)" }
    }

    /// The binary next to the test bundle, or in `.build/debug` of the working directory.
    public static var path: String {
        get throws {
            let name = "ClinicMCPServer"
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: name),
                Bundle.main.bundleURL.appending(path: name),
                URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appending(path: ".build/debug/\(name)"),
            ]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else { throw NotBuilt() }
            return found.path
        }
    }
}
