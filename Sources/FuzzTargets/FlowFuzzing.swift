import Flows
import Foundation

/// Any text either loads as a valid flow or throws ``FlowLoadError`` with at least one problem.
enum FlowFuzzing {
    static func run(_ input: Data) {
        let yaml = String(decoding: input, as: UTF8.self)
        do {
            _ = try FlowLoader.parse(yaml: yaml, file: "fuzz.yaml")
        } catch {
            FuzzTargetFailure.check(!error.problems.isEmpty, "a flow was refused without a problem")
        }
    }
}
