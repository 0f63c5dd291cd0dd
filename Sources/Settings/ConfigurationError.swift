/// A configuration value ura cannot run with.
///
/// Its ``description`` is the single line `ura serve` and `ura check` print before exiting with
/// status 2: the variable, what is wrong with its value, and an example of a good one. Secret
/// values are never part of it.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The environment variable (or `.env` file location) at fault.
    public let variable: String
    /// What is wrong, phrased to follow the variable's name.
    public let problem: String
    /// A value that would have worked, as `NAME=value`.
    public let example: String

    public init(variable: String, problem: String, example: String) {
        self.variable = variable
        self.problem = problem
        self.example = example
    }

    public var description: String {
        "\(variable) \(problem) (example: \(example))"
    }
}
