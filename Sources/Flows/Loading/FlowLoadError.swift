/// Why a flow file was refused: every problem found, each with its line.
///
/// The loader keeps going after a problem so a flow author sees all of them at once.
/// ``description`` prints them compiler-style, `file:line:column: problem`.
public struct FlowLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem in a flow file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line of the offending node (0 when the file could not be read at all).
        public var line: Int
        /// 1-based column of the offending node (0 when unknown).
        public var column: Int
        /// What is wrong, in words a flow author can act on.
        public var message: String

        /// A problem at `line`:`column` (1-based; 0 when unknown).
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        /// `line:column: message`.
        public var description: String { "\(line):\(column): \(message)" }
    }

    /// The file as named to the loader.
    public var file: String
    /// The problems in file order.
    public var problems: [Problem]

    /// The problems found in `file`.
    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    /// One `file:line:column: problem` line per problem.
    public var description: String {
        problems.map { "\(file):\($0)" }.joined(separator: "\n")
    }
}
