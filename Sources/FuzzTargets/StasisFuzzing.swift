import Calls
import Foundation

/// Any `Stasis(...)` argument list parses: every argument becomes the bot, a variable, or an ignored argument.
///
/// The input is split on commas, as Asterisk splits the dialplan application's arguments.
enum StasisFuzzing {
    static func run(_ input: Data) {
        let arguments = String(decoding: input, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let parsed = StasisArgumentsInspection.parse(arguments)
        FuzzTargetFailure.check(
            parsed.ignored.count + parsed.variables.count <= arguments.count, "more outcomes than arguments: \(arguments)")
    }
}
