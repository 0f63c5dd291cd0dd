import Foundation
import Yams

/// Reads a flow from YAML and validates it, naming file, line and problem for every mistake.
///
/// The YAML is composed into Yams nodes (which carry their line and column) and walked by
/// hand rather than decoded, so each problem points at the node that caused it. Unknown keys
/// are problems too: a misspelt `promt` would otherwise silently leave a state mute. The
/// format is described in README.md ("Offline bot and URA flows").
public enum FlowLoader {
    /// Loads and validates the flow file at `path`.
    ///
    /// - Throws: ``FlowLoadError`` for an unreadable file, bad YAML or an invalid flow.
    public static func load(path: String) throws(FlowLoadError) -> Flow {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FlowLoadError(file: path, problems: [.init(line: 0, column: 0, message: "cannot be read: \(error.localizedDescription)")])
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw FlowLoadError(file: path, problems: [.init(line: 0, column: 0, message: "is not UTF-8 text")])
        }
        return try parse(yaml: yaml, file: path)
    }

    /// Parses and validates a flow from YAML text; `file` names it in problems.
    ///
    /// - Throws: ``FlowLoadError`` for bad YAML or an invalid flow.
    public static func parse(yaml: String, file: String) throws(FlowLoadError) -> Flow {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw FlowLoadError(file: file, problems: [problem(from: error)])
        } catch {
            throw FlowLoadError(file: file, problems: [.init(line: 0, column: 0, message: "is not YAML: \(error)")])
        }
        guard let root else {
            throw FlowLoadError(file: file, problems: [.init(line: 1, column: 1, message: "is empty")])
        }
        var parser = FlowParser()
        let flow = parser.flow(root)
        guard parser.problems.isEmpty, let flow else {
            throw FlowLoadError(file: file, problems: parser.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return flow
    }

    private static func problem(from error: YamlError) -> FlowLoadError.Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text): \(problem)" } ?? problem
            return .init(line: mark.line, column: mark.column, message: "bad YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .init(line: context.mark.line, column: context.mark.column,
                         message: "bad YAML: duplicate keys \(duplicates.joined(separator: ", "))")
        default:
            return .init(line: 0, column: 0, message: "bad YAML: \(error)")
        }
    }
}
