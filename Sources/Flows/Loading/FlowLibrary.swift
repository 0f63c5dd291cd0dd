import Foundation
public import Settings
import Synchronization

/// The flows ura runs: every `*.yaml`/`*.yml` file of `FLOWS_DIR`, loaded and validated at
/// start and again on ``reload()`` (SIGHUP), never on a call's path.
///
/// `flow:<name>` means `<name>.yaml` here; a name is never a path (``Settings/BotChoice``
/// refuses `/` and `..`), so a Stasis argument or an API request cannot make ura read any
/// other file. Thread-safe: calls read flows while a reload replaces them.
public final class FlowLibrary: Sendable {
    /// The directory flows are read from.
    public let directory: String
    private let flows: Mutex<[String: Flow]>

    /// A library holding `flows` by name (tests; ``load(directory:)`` reads a directory).
    public init(directory: String, flows: [String: Flow] = [:]) {
        self.directory = directory
        self.flows = Mutex(flows)
    }

    /// Loads every flow in `directory` (none when it does not exist).
    /// - Throws: ``FlowLoadError`` for the first file (in name order) that is not a valid flow.
    public static func load(directory: String) throws(FlowLoadError) -> FlowLibrary {
        let library = FlowLibrary(directory: directory)
        var loaded: [String: Flow] = [:]
        for (name, path) in library.files() {
            loaded[name] = try FlowLoader.load(path: path)
        }
        library.flows.withLock { $0 = loaded }
        return library
    }

    /// What a reload did.
    public struct ReloadReport: Sendable {
        /// Flows (re)loaded from their files.
        public var loaded: [String] = []
        /// Flows whose file vanished.
        public var removed: [String] = []
        /// Files that failed to load; their flow, if any, is kept as it was.
        public var failures: [FlowLoadError] = []
    }

    /// Reads the directory again. A file that fails keeps its previous flow (a bad edit must not
    /// take a working flow away from callers); a file that vanished takes its flow with it.
    @discardableResult
    public func reload() -> ReloadReport {
        var report = ReloadReport()
        var fresh: [String: Flow] = [:]
        let files = files()
        for (name, path) in files {
            do {
                fresh[name] = try FlowLoader.load(path: path)
                report.loaded.append(name)
            } catch {
                report.failures.append(error)
            }
        }
        flows.withLock { current in
            for (name, _) in files where fresh[name] == nil {
                if let kept = current[name] { fresh[name] = kept }
            }
            report.removed = current.keys.filter { fresh[$0] == nil }.sorted()
            current = fresh
        }
        return report
    }

    /// The flow named `name`, if loaded.
    public func flow(named name: String) -> Flow? { flows.withLock { $0[name] } }

    /// The names of the loaded flows.
    public var names: [String] { flows.withLock { $0.keys.sorted() } }

    /// Every destination the loaded flows' `transfer` steps name.
    public var transferDestinations: Set<TransferDestination> {
        flows.withLock { $0.values.reduce(into: []) { $0.formUnion($1.transferDestinations) } }
    }

    /// Flow files by name, in name order; files whose base name is not a flow name are left out.
    private func files() -> [(name: String, path: String)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files: [String: String] = [:]
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            guard case .flow(let name)? = try? BotChoice(parsing: "flow:" + entry, variable: "") else { continue }
            guard entry != name else { continue }  // no .yaml/.yml suffix: not a flow file
            if files[name] == nil { files[name] = directory + "/" + entry }
        }
        return files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
